using Courier.Bench.Checkout;
using Courier.Bench.Deliveries;
using Courier.Bench.Runtime;
using Courier.Bench.Web;

return args switch
{
    ["runtime"] => await RuntimeBench.RunAsync(),
    ["checkout"] => await CheckoutBench.RunAsync(),
    ["delivery"] => await DeliveryBench.RunAsync(),
    ["web"] => await WebBench.RunAsync(),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("Usage: dotnet run -c Release --project bench/Courier.Bench -- runtime|checkout|delivery|web");
    Console.Error.WriteLine("  runtime   grain calls in memory and on PostgreSQL, reminder lateness, memory per activation");
    Console.Error.WriteLine("  checkout  100 concurrent shoppers buying through the web front: paid orders/s, checkout latency");
    Console.Error.WriteLine("  delivery  webhook acknowledged → \"ready\" at a SignalR client at 50 orders/s; deliveries/s at saturation");
    Console.Error.WriteLine("  web       storefront pages under 200 connections, JavaScript per page, Lighthouse, SignalR fan-out to 2,000 watchers");
    Console.Error.WriteLine("            (needs bench/node installed with npm ci, and Chromium at /usr/bin/chromium or CHROME_PATH)");
    Console.Error.WriteLine("  The database server comes from COURIER_BENCH_DATABASE (an admin connection string).");
    return 2;
}
