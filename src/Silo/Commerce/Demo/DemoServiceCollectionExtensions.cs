using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Courier.Silo.Deliveries;

namespace Courier.Silo.Commerce.Demo;

internal static class DemoServiceCollectionExtensions
{
    /// <summary>
    /// Seeds the demo store once the silo runs. Register after AddCourierSilo: hosted services
    /// start in registration order (the seeder also waits for the silo, should they ever start together).
    /// </summary>
    public static IServiceCollection AddDemoCatalog(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<FileStoreOptions>()
            .Bind(configuration.GetSection(FileStoreOptions.Section))
            .PostConfigure<IServiceProvider>((options, sp) =>
                options.Root = Path.GetFullPath(options.Root, sp.GetService<IHostEnvironment>()?.ContentRootPath ?? Directory.GetCurrentDirectory()))
            .Validate(options => !string.IsNullOrWhiteSpace(options.Root), "Courier:Files:Root must name a folder for product files.")
            .ValidateOnStart();
        services.AddSingleton<DemoCatalogSeeder>();
        services.AddHostedService(sp => sp.GetRequiredService<DemoCatalogSeeder>());
        return services;
    }
}
