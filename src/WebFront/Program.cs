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
var api = app.MapGroup("").WithRequestBodyRules(); // every API endpoint checks its JSON body the same way
api.MapHealthApi();
api.MapMetricsApi();
api.MapAuthApi();
api.MapProfileApi();
api.MapSessionsApi();
api.MapAdminAccountsApi();
api.MapCatalogApi();
api.MapCartApi();
api.MapCheckoutApi();
api.MapOrdersApi();
api.MapDeliveriesApi();
api.MapDownloadsApi();
api.MapSiteCredentialsApi();
api.MapWebhooksApi();
api.MapSimulatedPayPage();
api.MapAdminCatalogApi();
api.MapAdminDeliveriesApi();
app.MapDevMailboxPage();
app.MapOrleansDashboardForAdmins();
app.MapHostedSitePages();
app.MapCourierPages();

return await app.RunCourierAsync();

public partial class Program;
