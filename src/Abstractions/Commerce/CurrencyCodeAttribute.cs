using System.Collections.Frozen;
using System.ComponentModel.DataAnnotations;

namespace Courier.Abstractions.Commerce;

/// <summary>
/// An active ISO 4217 currency code, in either case ("usd", "EUR"). The list is written out here
/// (the build runs with invariant globalization, which has no region data to ask).
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class CurrencyCodeAttribute : ValidationAttribute
{
    private static readonly FrozenSet<string> Codes = ("AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD " +
        "CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF " +
        "IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU " +
        "MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP " +
        "SLE SOS SRD SSP STN SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XOF XPF YER ZAR ZMW ZWG")
        .Split(' ').ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    public static bool IsKnown(string? code) => code is { Length: 3 } && Codes.Contains(code);

    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        value is null || IsKnown(value as string)
            ? ValidationResult.Success
            : new ValidationResult($"Give {validationContext.DisplayName} as a three-letter ISO 4217 currency code such as \"usd\" or \"eur\".");
}
