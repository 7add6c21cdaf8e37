namespace FeedbackHub.Data.Database;

/// <summary>A setting is missing or wrong; the message names the setting and says what is expected.</summary>
public sealed class SettingsException(string setting, string message) : Exception(message)
{
    /// <summary>The configuration key at fault, e.g. <c>Database:Provider</c>.</summary>
    public string Setting { get; } = setting;
}
