using System.Net;
using Microsoft.Extensions.Options;

namespace Courier.WebFront.Hosting;

/// <summary>
/// The reverse proxies (TLS terminators, load balancers) whose <c>X-Forwarded-For</c> and
/// <c>X-Forwarded-Proto</c> Courier believes (configuration section "Courier:Proxies"). Empty, the
/// default, believes nobody: the client address and scheme are the connection's own.
/// </summary>
internal sealed class ProxyOptions
{
    public const string Section = "Courier:Proxies";

    /// <summary>IP addresses of the proxies, e.g. <c>10.0.0.5</c> or <c>::1</c>.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Address ranges the proxies are in, in CIDR notation, e.g. <c>10.0.0.0/24</c>.</summary>
    public List<string> KnownNetworks { get; set; } = [];

    public bool TrustsAnyProxy => KnownProxies.Count > 0 || KnownNetworks.Count > 0;

    public IEnumerable<IPAddress> ProxyAddresses() =>
        KnownProxies.Select(p => IPAddress.TryParse(p, out var address) ? address : null).OfType<IPAddress>();

    public IEnumerable<IPNetwork> ProxyNetworks() =>
        KnownNetworks.Select(n => IPNetwork.TryParse(n, out var network) ? (IPNetwork?)network : null).OfType<IPNetwork>();

    internal sealed class Validation : IValidateOptions<ProxyOptions>
    {
        public ValidateOptionsResult Validate(string? name, ProxyOptions options)
        {
            var failures = new List<string>();
            foreach (var proxy in options.KnownProxies.Where(p => !IPAddress.TryParse(p, out _)))
                failures.Add($"{Section}:KnownProxies holds '{proxy}', which is not an IP address: give the proxy's address, e.g. 10.0.0.5 or ::1.");
            foreach (var network in options.KnownNetworks.Where(n => !IPNetwork.TryParse(n, out _)))
                failures.Add($"{Section}:KnownNetworks holds '{network}', which is not an address range: give it in CIDR notation, e.g. 10.0.0.0/24.");
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
