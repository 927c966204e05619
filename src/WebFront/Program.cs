using Courier.Silo.Hosting;
using Courier.WebFront.Apis;
using Courier.WebFront.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddCourierLogging();
builder.Services.AddCourierSilo(builder.Configuration);
builder.Services.AddCourierWeb();

var app = builder.Build();
app.UseCourierWeb();
app.MapHealthApi();

return await app.RunCourierAsync();

public partial class Program;
