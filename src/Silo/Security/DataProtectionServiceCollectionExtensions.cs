using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Courier.Silo.Security;

public static class DataProtectionServiceCollectionExtensions
{
    /// <summary>
    /// Data Protection under the application name "Courier" with its key ring in PostgreSQL
    /// (<see cref="PostgresKeyRing"/>), so every node protects and unprotects alike. Safe to call
    /// more than once.
    /// </summary>
    public static IServiceCollection AddCourierDataProtection(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName("Courier");
        services.AddOptions<KeyManagementOptions>()
            .Configure<NpgsqlDataSource>((options, dataSource) => options.XmlRepository = new PostgresKeyRing(dataSource));
        return services;
    }
}
