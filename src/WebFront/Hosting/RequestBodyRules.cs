using System.Collections;
using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Courier.WebFront.Accounts;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Courier.WebFront.Hosting;

/// <summary>
/// Checks every JSON request body before its handler runs, so a careless or hostile client gets a
/// 400 naming the field instead of a 500 from deep inside: a property the C# record declares
/// non-nullable must be present and not null; an enum must be one of its names; and the
/// <see cref="ValidationAttribute"/>s on a property (<c>[property: StringLength(…)]</c>,
/// <c>[property: Range(…)]</c>, <see cref="EachLengthAttribute"/>…) hold — the same attributes the
/// OpenAPI document states as the field's limits. Nested records are checked the same way
/// ("price.currency"). Applied to every API endpoint (<see cref="WithRequestBodyRules"/>), so a new
/// endpoint cannot forget it.
/// </summary>
internal static class RequestBodyRules
{
    /// <summary>What each property demands, read once by reflection (bodies are checked on every request).</summary>
    private static readonly ConcurrentDictionary<PropertyInfo, PropertyRules> Rules = new();

    private sealed record PropertyRules(bool Required, ValidationAttribute[] Attributes);

    public static TBuilder WithRequestBodyRules<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilterFactory((context, next) =>
        {
            var services = context.ApplicationServices.GetRequiredService<IServiceProviderIsService>();
            var index = Array.FindIndex(context.MethodInfo.GetParameters(), p => IsJsonBody(p, services));
            if (index < 0) return next;
            return async invocation =>
            {
                if (invocation.Arguments[index] is { } body)
                {
                    var json = invocation.HttpContext.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
                    var errors = Check(body, json);
                    if (errors.Count > 0) return AccountProblems.Invalid(errors);
                }
                return await next(invocation);
            };
        });

    /// <summary>A parameter minimal APIs bind from the JSON body: one of Courier's records that is not a service.</summary>
    private static bool IsJsonBody(ParameterInfo parameter, IServiceProviderIsService services) =>
        parameter.ParameterType is { IsClass: true, IsAbstract: false } type
        && type.Namespace?.StartsWith("Courier.", StringComparison.Ordinal) == true
        && !services.IsService(type)
        && parameter.GetCustomAttribute<Microsoft.AspNetCore.Mvc.FromServicesAttribute>() is null
        && parameter.GetCustomAttribute<Microsoft.AspNetCore.Http.AsParametersAttribute>() is null;

    /// <summary>What is wrong with <paramref name="body"/>, per JSON path; empty when nothing.</summary>
    public static Dictionary<string, string[]> Check(object body, JsonSerializerOptions json)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        CheckObject(body, json, "", errors, depth: 0);
        return errors;
    }

    private static void CheckObject(object value, JsonSerializerOptions json, string prefix, Dictionary<string, string[]> errors, int depth)
    {
        if (depth > 8) return;
        var type = json.GetTypeInfo(value.GetType());
        if (type.Kind != JsonTypeInfoKind.Object) return;
        foreach (var property in type.Properties)
        {
            if (property.Get is null || property.AttributeProvider is not PropertyInfo member) continue;
            var path = prefix + property.Name;
            var propertyValue = property.Get(value);
            var rules = Rules.GetOrAdd(member, RulesOf);
            if (propertyValue is null)
            {
                if (rules.Required) errors[path] = [$"Give {path}: it is required and cannot be null."];
                continue;
            }
            if (propertyValue is Enum choice && !Enum.IsDefined(choice.GetType(), choice))
            {
                errors[path] = [$"Give {path} as one of: {string.Join(", ", Enum.GetNames(choice.GetType()).Select(JsonNamingPolicy.CamelCase.ConvertName))}."];
                continue;
            }
            var broken = rules.Attributes
                .Select(rule => rule.GetValidationResult(propertyValue, new ValidationContext(value) { DisplayName = path, MemberName = member.Name }))
                .FirstOrDefault(result => result != ValidationResult.Success);
            if (broken is not null)
            {
                errors[path] = [broken.ErrorMessage ?? $"{path} is not valid."];
                continue;
            }
            if (IsNestedRecord(propertyValue)) CheckObject(propertyValue, json, path + ".", errors, depth + 1);
        }
    }

    // A value type that is missing arrives as its default, which the ranges catch. NullabilityInfoContext
    // is not thread-safe: each property gets its own, once.
    private static PropertyRules RulesOf(PropertyInfo member) => new(
        !member.PropertyType.IsValueType && new NullabilityInfoContext().Create(member).ReadState == NullabilityState.NotNull,
        [.. member.GetCustomAttributes<ValidationAttribute>(inherit: true)]);

    private static bool IsNestedRecord(object value) =>
        value is not string and not IEnumerable && value.GetType() is { IsPrimitive: false, IsEnum: false } type
        && type.Namespace?.StartsWith("Courier.", StringComparison.Ordinal) == true;
}

/// <summary>Every text in a list has a length within the range (the list's own size is <see cref="MaxLengthAttribute"/>'s).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
internal sealed class EachLengthAttribute(int minimum, int maximum) : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        if (value is not IEnumerable<string?> items) return ValidationResult.Success;
        var index = 0;
        foreach (var item in items)
        {
            if (item is null || item.Length < minimum || item.Length > maximum)
                return new ValidationResult($"Each entry of {validationContext.DisplayName} must be {minimum}–{maximum} characters (entry {index + 1} is {(item is null ? "null" : $"{item.Length} characters")}).");
            index++;
        }
        return ValidationResult.Success;
    }
}
