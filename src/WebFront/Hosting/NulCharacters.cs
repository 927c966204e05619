using System.Text.Json;
using System.Text.Json.Serialization;
using Courier.WebFront.Apis;

namespace Courier.WebFront.Hosting;

/// <summary>
/// Refuses the NUL character (U+0000, <c>%00</c>) anywhere a request carries text: the path, the
/// query, a form and JSON string values. PostgreSQL cannot store it in text, so a search, a key or
/// a product field that carried one used to fail deep inside with a 500; no person types it.
/// </summary>
internal static class NulCharacters
{
    public const string ProblemType = RuleViolationProblems.TypePrefix + "nul-character";

    /// <summary>Answers 400, naming the path, query parameter or form field, before anything reads the request.</summary>
    public static IApplicationBuilder UseNulCharacterRefusal(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (await FindAsync(context.Request) is { } where)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails =
                {
                    Status = StatusCodes.Status400BadRequest,
                    Type = ProblemType,
                    Title = "The request contains a NUL character.",
                    Detail = $"{where} contains a NUL character (U+0000, %00), which Courier does not accept in text. Remove it and send the request again.",
                },
            });
            return;
        }
        await next(context);
    });

    /// <summary>
    /// The string converter hides from the OpenAPI generator that a string is a string (it writes
    /// <c>{}</c>): put the type back, with null where the property may be null.
    /// </summary>
    public static Task DescribeStringsAsStrings(Microsoft.OpenApi.OpenApiSchema schema, Microsoft.AspNetCore.OpenApi.OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonTypeInfo.Type == typeof(string) && schema.Type is null)
        {
            var nullable = context.JsonPropertyInfo?.AttributeProvider is System.Reflection.PropertyInfo property
                && new System.Reflection.NullabilityInfoContext().Create(property).ReadState != System.Reflection.NullabilityState.NotNull;
            schema.Type = nullable ? Microsoft.OpenApi.JsonSchemaType.String | Microsoft.OpenApi.JsonSchemaType.Null : Microsoft.OpenApi.JsonSchemaType.String;
        }
        return Task.CompletedTask;
    }

    private static async Task<string?> FindAsync(HttpRequest request)
    {
        if (request.Path.Value?.Contains('\0', StringComparison.Ordinal) == true) return "The path";
        // The raw query can only carry a NUL escaped: most requests are cleared without parsing it.
        if (request.QueryString.Value?.Contains("%00", StringComparison.Ordinal) == true)
            foreach (var (name, values) in request.Query)
                if (name.Contains('\0', StringComparison.Ordinal) || values.Any(v => v?.Contains('\0', StringComparison.Ordinal) == true))
                    return $"The query parameter '{name.Replace("\0", "", StringComparison.Ordinal)}'";
        return await FindInUrlEncodedFormAsync(request).ConfigureAwait(false);
    }

    /// <summary>
    /// Read before ASP.NET Core's form reader, which throws on a NUL (a 500) without saying where.
    /// Multipart bodies are left alone: a NUL in an uploaded file is just a byte.
    /// </summary>
    private static async Task<string?> FindInUrlEncodedFormAsync(HttpRequest request)
    {
        if (request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) != true
            || request.ContentLength is null or > MaxScannedForm)
            return null;
        request.EnableBuffering();
        string body;
        using (var reader = new StreamReader(request.Body, leaveOpen: true))
            body = await reader.ReadToEndAsync(request.HttpContext.RequestAborted).ConfigureAwait(false);
        request.Body.Position = 0;
        foreach (var pair in body.Split('&'))
        {
            if (!pair.Contains("%00", StringComparison.Ordinal)) continue;
            var name = pair.Split('=')[0].Replace('+', ' ');
            return $"The form field '{Uri.UnescapeDataString(name).Replace("\0", "", StringComparison.Ordinal)}'";
        }
        return null;
    }

    private const int MaxScannedForm = 1024 * 1024;

    /// <summary>The same for JSON bodies: a string value with a NUL is unreadable, and the API answers 400 naming its JSON path.</summary>
    public sealed class RefusingJsonConverter : JsonConverter<string>
    {
        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var value = reader.GetString();
            return value?.Contains('\0', StringComparison.Ordinal) == true
                ? throw new JsonException("The value contains a NUL character (\\u0000), which Courier does not accept in text; remove it.")
                : value;
        }

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
    }
}
