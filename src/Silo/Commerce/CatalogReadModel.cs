using System.Text.Json;
using Courier.Abstractions.Catalog;
using Courier.Silo.Grains;
using Npgsql;

namespace Courier.Silo.Commerce;

/// <summary>Catalog queries over the catalog_products read model.</summary>
public sealed class CatalogReadModel(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<ProductView>> ListAsync(CatalogQuery query, CancellationToken cancellationToken)
    {
        var order = query.Sort switch
        {
            CatalogSort.PriceLow => "price_amount ASC, title",
            CatalogSort.PriceHigh => "price_amount DESC, title",
            CatalogSort.Title => "title",
            _ => "updated_at DESC, title",
        };
        await using var command = dataSource.CreateCommand($"""
            SELECT product::text FROM catalog_products
            WHERE (active OR $4)
              AND ($1::text IS NULL OR delivery_kind = $1)
              AND ($2::text IS NULL OR title ILIKE '%' || $2 || '%' OR summary ILIKE '%' || $2 || '%' OR $2 = ANY(tags))
              AND ($3::text IS NULL OR tags @> ARRAY[$3])
            ORDER BY {order}
            LIMIT 200
            """);
        command.Parameters.Add(Text(query.Kind?.ToString()));
        command.Parameters.Add(Text(query.Search is { Length: > 0 } q ? EscapeLike(q.Trim()) : null));
        command.Parameters.Add(Text(query.Tag?.Trim().ToLowerInvariant()));
        command.Parameters.Add(new NpgsqlParameter { Value = query.IncludeArchived });
        var products = new List<ProductView>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            products.Add(JsonSerializer.Deserialize<ProductView>(reader.GetString(0), GrainJson.Options)!);
        return products;
    }

    public async Task<ProductView?> BySlugAsync(string slug, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT product::text FROM catalog_products WHERE slug = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = slug });
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string json
            ? JsonSerializer.Deserialize<ProductView>(json, GrainJson.Options)
            : null;
    }

    public async Task<IReadOnlyList<string>> TagsAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT DISTINCT unnest(tags) AS tag FROM catalog_products WHERE active ORDER BY tag");
        var tags = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) tags.Add(reader.GetString(0));
        return tags;
    }

    private static NpgsqlParameter Text(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text };

    private static string EscapeLike(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}

public enum CatalogSort
{
    Newest,
    PriceLow,
    PriceHigh,
    Title,
}

public sealed record CatalogQuery(DeliveryKind? Kind, string? Search, string? Tag, CatalogSort Sort, bool IncludeArchived = false);
