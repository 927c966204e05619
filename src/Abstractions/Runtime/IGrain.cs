namespace Courier.Abstractions.Runtime;

/// <summary>Marker for grain interfaces. A grain interface is a plain interface of Task / Task&lt;T&gt; methods.</summary>
public interface IGrain;

/// <summary>A grain addressed by a string key (an order id, a cart id, a product slug…).</summary>
public interface IGrainWithStringKey : IGrain;
