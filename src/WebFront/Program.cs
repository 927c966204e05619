using Courier.Silo.Cluster;
using Courier.Silo.Commerce;
using Courier.Silo.Hosting;
using Courier.WebFront.Accounts;
using Courier.WebFront.Apis;
using Courier.WebFront.Hosting;
using Courier.WebFront.Pages;
using Courier.WebFront.Sites;

if (AdminCommands.IsAdminCommand(args)) return await AdminCommands.RunAsync(args, AdminConsole.System);

var builder = WebApplication.CreateBuilder(args);
builder.AddCourierLogging();
builder.Services.AddCourierSilo(builder.Configuration);
builder.AddCourierCluster();
builder.AddCourierTelemetry();
builder.Services.AddCourierCommerce(builder.Configuration);
builder.Services.AddCourierWeb();
builder.Services.AddCourierAccounts(builder.Configuration);
builder.Services.AddHostedSitePages();

var app = builder.Build();
app.UseCourierWeb();
app.MapHealthApi();
app.MapMetricsApi();
app.MapAuthApi();
app.MapProfileApi();
app.MapSessionsApi();
app.MapAdminAccountsApi();
app.MapCatalogApi();
app.MapCartApi();
app.MapCheckoutApi();
app.MapOrdersApi();
app.MapDeliveriesApi();
app.MapDownloadsApi();
app.MapSiteCredentialsApi();
app.MapWebhooksApi();
app.MapSimulatedPayPage();
app.MapAdminCatalogApi();
app.MapAdminDeliveriesApi();
app.MapDevMailboxPage();
app.MapOrleansDashboardForAdmins();
app.MapHostedSitePages();
app.MapCourierPages();

return await app.RunCourierAsync();

public partial class Program;
