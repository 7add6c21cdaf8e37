using System.Collections;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FeedbackHub.Web.Features;

/// <summary>
/// Hands every logger out wrapped, so that each message, its structured values and its scopes pass
/// through <see cref="SecretRedaction"/> before any provider sees them, whatever the log level. This
/// covers the framework's own lines too: at Information ASP.NET Core logs every request's URL, which
/// for a survey or unsubscribe link is the token itself.
/// </summary>
internal sealed class RedactingLoggerFactory(LoggerFactory inner) : ILoggerFactory
{
    /// <summary>
    /// The one category allowed to log a secret: on a first start it shows the operator the one-time link
    /// that creates the first admin, which is the whole point of that line.
    /// </summary>
    private static readonly string ExemptCategory = typeof(Staff.FirstRunSetupAnnouncer).FullName!;

    public ILogger CreateLogger(string categoryName)
    {
        var logger = inner.CreateLogger(categoryName);
        return string.Equals(categoryName, ExemptCategory, StringComparison.Ordinal) ? logger : new RedactingLogger(logger);
    }

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    /// <summary>The container owns (and disposes) the inner factory.</summary>
    public void Dispose()
    {
    }

    private sealed class RedactingLogger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull =>
            state is IReadOnlyList<KeyValuePair<string, object?>> values
                ? inner.BeginScope(new RedactedValues(values, SecretRedaction.Redact(state.ToString() ?? "")))
                : state is string text ? inner.BeginScope(SecretRedaction.Redact(text)) : inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!inner.IsEnabled(logLevel))
            {
                return;
            }

            ArgumentNullException.ThrowIfNull(formatter);
            var message = formatter(state, exception);
            var redacted = SecretRedaction.Redact(message);
            var values = state as IReadOnlyList<KeyValuePair<string, object?>>;
            if (ReferenceEquals(redacted, message) && (values is null || !values.Any(v => v.Value is string text && !ReferenceEquals(text, SecretRedaction.Redact(text)))))
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
                return;
            }

            inner.Log(logLevel, eventId, new RedactedValues(values ?? [], redacted), exception, static (s, _) => s.Message);
        }
    }

    /// <summary>Structured values with their text redacted (other values as they were), formatted as the redacted message.</summary>
    private sealed class RedactedValues(IReadOnlyList<KeyValuePair<string, object?>> values, string message) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public string Message => message;

        public int Count => values.Count;

        public KeyValuePair<string, object?> this[int index] => Redacted(values[index]);

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => values.Select(Redacted).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => message;

        private static KeyValuePair<string, object?> Redacted(KeyValuePair<string, object?> value) => value.Value switch
        {
            string text => new(value.Key, SecretRedaction.Redact(text)),
            PathString or QueryString or Uri => new(value.Key, SecretRedaction.Redact(value.Value.ToString() ?? "")),
            _ => value,
        };
    }
}

public static class RedactionFeature
{
    /// <summary>Puts <see cref="RedactingLoggerFactory"/> in front of the logging system (every provider, registered before or after).</summary>
    public static IHostApplicationBuilder AddSecretRedaction(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<LoggerFactory>();
        builder.Services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(services => new RedactingLoggerFactory(services.GetRequiredService<LoggerFactory>())));
        return builder;
    }
}
