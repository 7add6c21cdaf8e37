using FeedbackHub.Data.Database;
using Microsoft.Extensions.Options;

namespace FeedbackHub.Web;

/// <summary>Start-up failures that are the operator's to fix, worded for them.</summary>
internal static class StartupFailure
{
    public static bool IsExplained(Exception ex) =>
        ex is SettingsException or DatabaseUnavailableException or OptionsValidationException
        || ex is AggregateException { InnerExceptions: [var inner] } && IsExplained(inner);

    public static string Describe(Exception ex) => ex switch
    {
        AggregateException { InnerExceptions: [var inner] } => Describe(inner),
        OptionsValidationException options => string.Join(" ", options.Failures),
        _ => ex.Message,
    };
}
