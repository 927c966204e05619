using System.Reflection;
using Courier.Grains;
using Microsoft.Extensions.DependencyInjection;

namespace Courier.Silo.Grains;

/// <summary>
/// Orleans' extension point for constructor facets: gives a grain constructor parameter marked
/// <see cref="GrainContextAttribute"/> its activation's <see cref="CommittedGrainContext{TState}"/>.
/// </summary>
internal sealed class GrainContextMapper : IAttributeToFactoryMapper<GrainContextAttribute>
{
    public Factory<IGrainContext, object> GetFactory(ParameterInfo parameter, GrainContextAttribute metadata)
    {
        var type = parameter.ParameterType;
        if (!type.IsGenericType || type.GetGenericTypeDefinition() != typeof(IGrainContext<>))
            throw new ArgumentException(
                $"Parameter '{parameter.Name}' of {parameter.Member.DeclaringType} is marked [GrainContext] but is a {type}; it must be an IGrainContext<TState>.",
                parameter.Name);
        var create = ActivatorUtilities.CreateFactory(
            typeof(CommittedGrainContext<>).MakeGenericType(type.GetGenericArguments()), [typeof(IGrainContext)]);
        return activation => create(activation.ActivationServices, [activation]);
    }
}
