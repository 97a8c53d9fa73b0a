using System.CommandLine;
using System.Numerics;
using Orleans.Gan.Contracts;

namespace Orleans.Gan.Client;

/// <summary>Range checks whose messages name the flag, so that a user knows which one to fix.</summary>
internal static class OptionValidators
{
    public static Option<T> InRange<T>(this Option<T> option, T minimum, T maximum)
        where T : INumber<T>
    {
        option.Validators.Add(result =>
        {
            T value = result.GetValueOrDefault<T>();
            if (value < minimum || value > maximum)
            {
                result.AddError($"{option.Name} must be from {minimum} to {maximum}; got {value}.");
            }
        });
        return option;
    }

    /// <summary><see cref="InRange{T}(Option{T}, T, T)"/> for an option that may be left out.</summary>
    public static Option<T?> InRange<T>(this Option<T?> option, T minimum, T maximum)
        where T : struct, INumber<T>
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<T?>() is T value && (value < minimum || value > maximum))
                result.AddError($"{option.Name} must be from {minimum} to {maximum}; got {value}.");
        });
        return option;
    }

    public static Option<T> AtLeast<T>(this Option<T> option, T minimum)
        where T : INumber<T>
    {
        option.Validators.Add(result =>
        {
            T value = result.GetValueOrDefault<T>();
            if (value < minimum)
            {
                result.AddError($"{option.Name} must be at least {minimum}; got {value}.");
            }
        });
        return option;
    }

    public static Option<T> Positive<T>(this Option<T> option)
        where T : INumber<T>
    {
        option.Validators.Add(result =>
        {
            T value = result.GetValueOrDefault<T>();
            if (value <= T.Zero)
            {
                result.AddError($"{option.Name} must be greater than 0; got {value}.");
            }
        });
        return option;
    }

    /// <summary>Like System.CommandLine's AcceptOnlyFromAmong, but the message names the flag.</summary>
    public static Option<string> OneOf(this Option<string> option, IReadOnlyCollection<string> values)
    {
        option.CompletionSources.Add(values.ToArray());
        option.Validators.Add(result =>
        {
            string? value = result.GetValueOrDefault<string?>();
            if (value is not null && !values.Contains(value))
            {
                result.AddError($"{option.Name} must be one of {string.Join(", ", values)}; got '{value}'.");
            }
        });
        return option;
    }

    public static Option<string?> RunName(this Option<string?> option)
    {
        option.Validators.Add(result =>
        {
            string? run = result.GetValueOrDefault<string?>();
            if (run is not null && GrainKeys.ValidateRunName(run) is { } problem)
            {
                result.AddError($"{option.Name}: {problem}");
            }
        });
        return option;
    }

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
}
