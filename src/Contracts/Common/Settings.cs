using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace SessionGrid.Contracts.Common;

/// <summary>
/// How every settings class (<c>*Options</c>, one configuration section each) is registered: bound to its section once,
/// however many of the host's parts ask for it (the engine and the API share some), and checked when the host starts,
/// so a setting out of its range stops the start with a message that names it (<c>SessionGrid:Browser:MaxContexts</c>).
/// The checks are the class's data annotations (<see cref="RangeAttribute"/>, <see cref="RequiredAttribute"/> …) and,
/// for rules an annotation cannot say, its <see cref="IValidatableObject"/>: a result names its members (read under the
/// section, <c>Keys:big:Burst</c>) and says what they must be, or names no member and its whole setting itself.
/// </summary>
public static class Settings
{
    /// <summary>
    /// Binds <typeparamref name="TOptions"/> to <paramref name="section"/> and validates it at start-up; a second call
    /// for the same class changes nothing.
    /// </summary>
    public static IServiceCollection AddSettings<TOptions>(this IServiceCollection services, IConfiguration configuration, string section)
        where TOptions : class
    {
        if (services.Any(d => d.ServiceType == typeof(IValidateOptions<TOptions>) && d.ImplementationInstance is SectionValidator<TOptions>))
        {
            return services;
        }

        services.AddOptions<TOptions>().Bind(configuration.GetSection(section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>>(new SectionValidator<TOptions>(section));
        return services;
    }

    /// <summary>
    /// Checks one settings class: each public property against its data annotations, then the class's own rules.
    /// Every failure names the full setting (<c>{section}:{property}</c>) and the value it was given.
    /// </summary>
    private sealed class SectionValidator<TOptions>(string section) : IValidateOptions<TOptions>
        where TOptions : class
    {
        private static readonly PropertyInfo[] Annotated = [.. typeof(TOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0 && p.IsDefined(typeof(ValidationAttribute), inherit: true))];

        public ValidateOptionsResult Validate(string? name, TOptions options)
        {
            var failures = new List<string>();
            foreach (var property in Annotated)
            {
                var setting = $"{section}:{property.Name}";
                var value = property.GetValue(options);
                var context = new ValidationContext(options) { MemberName = property.Name, DisplayName = setting };
                foreach (var rule in property.GetCustomAttributes<ValidationAttribute>(inherit: true))
                {
                    if (rule.GetValidationResult(value, context) is { } failed)
                    {
                        failures.Add($"{(rule is RangeAttribute range ? RangeMessage(setting, range) : failed.ErrorMessage)} (got {Shown(value)})");
                    }
                }
            }

            if (options is IValidatableObject rules)
            {
                failures.AddRange(rules.Validate(new ValidationContext(options)).Select(r => r.MemberNames.Any()
                    ? $"{string.Join(", ", r.MemberNames.Select(m => $"{section}:{m}"))} {r.ErrorMessage}"
                    : r.ErrorMessage ?? $"{section} is invalid"));
            }

            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }

        /// <summary>A range in words: <c>… must be 1 or more</c>, <c>… must be more than 0</c>, <c>… must be from 0 to 25</c>.</summary>
        private static string RangeMessage(string setting, RangeAttribute range)
        {
            var open = range.Maximum is int.MaxValue or double.MaxValue or double.PositiveInfinity;
            var from = range.MinimumIsExclusive ? $"more than {Shown(range.Minimum)}" : $"{Shown(range.Minimum)}";
            return open
                ? $"{setting} must be {from}{(range.MinimumIsExclusive ? "" : " or more")}"
                : range.MinimumIsExclusive
                    ? $"{setting} must be {from} and at most {Shown(range.Maximum)}"
                    : $"{setting} must be from {from} to {Shown(range.Maximum)}";
        }

        private static string Shown(object? value) => value switch
        {
            null => "nothing",
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            _ => $"'{value}'",
        };
    }
}
