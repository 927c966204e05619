using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Courier.Silo.Security;

public static class DataProtectionSetup
{
    /// <summary>
    /// ASP.NET Core Data Protection with the key ring in PostgreSQL (<see cref="PostgresKeyRing"/>):
    /// sessions, anti-forgery, form tokens and sealed site credentials read on every node and survive restarts.
    /// </summary>
    public static IServiceCollection AddCourierDataProtection(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName("Courier");
        services.AddOptions<KeyManagementOptions>()
            .Configure<NpgsqlDataSource>((options, dataSource) => options.XmlRepository = new PostgresKeyRing(dataSource));
        return services;
    }
}
