using System.CommandLine;
using System.Numerics;
using Orleans.Gan.Contracts;

namespace Orleans.Gan.Client;

/// <summary>Range checks whose messages name the flag, so that a user knows which one to fix.</summary>
internal static class OptionValidators
{
    public static Option<T> InRange<T>(this Option<T> option, T minimum, T maximum)
        where T : INumber<T> =>
        option.Check(value => value < minimum || value > maximum ? $"{option.Name} must be from {minimum} to {maximum}; got {value}." : null);

    /// <summary><see cref="InRange{T}(Option{T}, T, T)"/> for an option that may be left out.</summary>
    public static Option<T?> InRange<T>(this Option<T?> option, T minimum, T maximum)
        where T : struct, INumber<T> =>
        option.Check(value => value is T given && (given < minimum || given > maximum) ? $"{option.Name} must be from {minimum} to {maximum}; got {given}." : null);

    public static Option<T> AtLeast<T>(this Option<T> option, T minimum)
        where T : INumber<T> =>
        option.Check(value => value < minimum ? $"{option.Name} must be at least {minimum}; got {value}." : null);

    public static Option<T> Positive<T>(this Option<T> option)
        where T : INumber<T> =>
        option.Check(value => value <= T.Zero ? $"{option.Name} must be greater than 0; got {value}." : null);

    /// <summary><see cref="Positive{T}(Option{T})"/> for an option that may be left out.</summary>
    public static Option<T?> Positive<T>(this Option<T?> option)
        where T : struct, INumber<T> =>
        option.Check(value => value is T given && given <= T.Zero ? $"{option.Name} must be greater than 0; got {given}." : null);

    /// <summary>Like System.CommandLine's AcceptOnlyFromAmong, but the message names the flag.</summary>
    public static Option<string> OneOf(this Option<string> option, IReadOnlyCollection<string> values)
    {
        option.CompletionSources.Add(values.ToArray());
        return option.Check(value => value is not null && !values.Contains(value)
            ? $"{option.Name} must be one of {string.Join(", ", values)}; got '{value}'."
            : null);
    }

    public static Option<string?> RunName(this Option<string?> option) =>
        option.Check(run => run is not null && GrainKeys.ValidateRunName(run) is { } problem ? $"{option.Name}: {problem}" : null);

    public static Argument<string> RunName(this Argument<string> argument)
    {
        argument.Validators.Add(result =>
        {
            string run = result.GetValueOrDefault<string>();
            if (GrainKeys.ValidateRunName(run) is { } problem)
            {
                result.AddError(problem);
            }
        });
        return argument;
    }

    /// <summary>
    /// Adds the error <paramref name="problem"/> finds in the option's value. A value that does not parse at all is
    /// left to System.CommandLine's own error, which names the flag too: asking for it here would throw.
    /// </summary>
    private static Option<T> Check<T>(this Option<T> option, Func<T, string?> problem)
    {
        option.Validators.Add(result =>
        {
            T value;
            try
            {
                value = result.GetValueOrDefault<T>();
            }
            catch (InvalidOperationException)
            {
                return;
            }
            if (problem(value) is { } message)
                result.AddError(message);
        });
        return option;
    }
}
