using Courier.Grains;
using Courier.Silo.Grains;
using Courier.Silo.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Serialization;
using Orleans.Serialization.Cloning;
using Orleans.Serialization.Serializers;

namespace Courier.Silo.Cluster;

/// <summary>
/// What a silo needs to run Courier's grains, through Orleans' extension points: the
/// <see cref="GrainContextAttribute"/> facet and the <see cref="CommitFilter"/> that commits each
/// call with its effects, System.Text.Json for the records Courier's grain calls carry, reminder
/// and call timing from <see cref="RuntimeOptions"/>, and <see cref="SiloHost"/> in the silo's lifecycle.
/// </summary>
public static class CourierGrains
{
    public static ISiloBuilder AddCourierGrains(this ISiloBuilder silo)
    {
        var services = silo.Services;

        // Orleans runs on the system clock even where Courier's clock is a test's fake one: its
        // catch-all keyed clock otherwise follows the unkeyed TimeProvider registration.
        services.RemoveAllKeyed<TimeProvider>(KeyedService.AnyKey);
        services.AddKeyedSingleton<TimeProvider>(KeyedService.AnyKey, TimeProvider.System);

        services.AddSingleton<IAttributeToFactoryMapper<GrainContextAttribute>, GrainContextMapper>();
        silo.AddIncomingGrainCallFilter<CommitFilter>();
        silo.AddOutgoingGrainCallFilter<CallCycleFilter>();
        silo.AddOutgoingGrainCallFilter<RejectedCallRetryFilter>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, ClusterMembershipLog>();
        services.TryAddSingleton<ReminderSweep>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<SiloHost>());

        // Courier's records cross grain boundaries as JSON (the same shape they are stored in), and
        // within a silo by reference, as immutable values: no copy per call.
        services.AddSerializer(serializer => serializer.AddJsonSerializer(
            isSerializable: CourierValues.IsCourierValue,
            isCopyable: null,
            configureOptions: options => options.Configure(o => o.SerializerOptions = GrainJson.Options)));
        services.AddSingleton<IGeneralizedCopier, CourierValues>();
        services.AddSingleton<IGeneralizedCodec, CollectionExpressionCodec>();

        services.AddOptions<ReminderOptions>().Configure<IOptions<RuntimeOptions>>((reminders, runtime) =>
            reminders.MinimumReminderPeriod = runtime.Value.ReminderRetry);
        services.AddOptions<SiloOptions>().Configure<CommitPipeline>((silo, pipeline) => silo.SiloName = pipeline.NodeName);
        services.AddOptions<SiloMessagingOptions>().Configure<IOptions<RuntimeOptions>>((messaging, runtime) =>
            messaging.ResponseTimeout = runtime.Value.CallTimeout);
        return silo;
    }
}

/// <summary>
/// Courier's own value types — the records of grain interfaces, declared in Courier's assemblies.
/// They are immutable by convention, so a call within a silo passes them by reference (Orleans
/// would otherwise copy every argument and result); across silos they travel as JSON.
/// </summary>
internal sealed class CourierValues : IGeneralizedCopier
{
    /// <summary>Sent as JSON between silos: Courier's own types, but not the collections C# makes for collection expressions (<see cref="CollectionExpressionCodec"/>).</summary>
    public static bool IsCourierValue(Type type) =>
        type.Assembly.GetName().Name?.StartsWith("Courier.", StringComparison.Ordinal) == true
        && !typeof(Exception).IsAssignableFrom(type)
        && !typeof(IAddressable).IsAssignableFrom(type)
        && !CollectionExpressionCodec.IsCollectionExpression(type);

    public bool IsSupportedType(Type type) => IsCourierValue(type) || CollectionExpressionCodec.IsCollectionExpression(type);

    public object? DeepCopy(object? input, CopyContext context) => input;
}
