using Courier.Silo.Commerce;
using Courier.Silo.Hosting;
using Courier.WebFront.Apis;
using Courier.WebFront.Hosting;
using Courier.WebFront.Pages;

var builder = WebApplication.CreateBuilder(args);
builder.AddCourierLogging();
builder.Services.AddCourierSilo(builder.Configuration);
builder.Services.AddCourierCommerce(builder.Configuration);
builder.Services.AddCourierWeb();

var app = builder.Build();
app.UseCourierWeb();
app.MapHealthApi();
app.MapCatalogApi();
app.MapCartApi();
app.MapCheckoutApi();
app.MapOrdersApi();
app.MapWebhooksApi();
app.MapSimulatedPayPage();
app.MapCheckoutReturnPage();

return await app.RunCourierAsync();

public partial class Program;
