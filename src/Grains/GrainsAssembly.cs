namespace Courier.Grains;

/// <summary>Names this assembly for registration (<c>AddGrainsFrom(typeof(GrainsAssembly).Assembly)</c>).</summary>
public static class GrainsAssembly;
