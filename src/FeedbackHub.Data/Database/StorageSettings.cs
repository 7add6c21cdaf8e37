using Microsoft.Extensions.Configuration;

namespace FeedbackHub.Data.Database;

/// <summary>The data folder: SQLite file, mail pickup folder, models and import reports.</summary>
public sealed record StorageSettings(string DataDirectory)
{
    public const string DataDirectoryKey = "Storage:DataDirectory";

    /// <summary>Reads <c>Storage:DataDirectory</c> (default <c>data</c> under the working directory) and creates it.</summary>
    public static StorageSettings FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var configured = configuration[DataDirectoryKey];
        var directory = string.IsNullOrWhiteSpace(configured) ? "data" : configured.Trim();
        try
        {
            var fullPath = Path.GetFullPath(directory, Directory.GetCurrentDirectory());
            Directory.CreateDirectory(fullPath);
            return new StorageSettings(fullPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new SettingsException(DataDirectoryKey,
                $"{DataDirectoryKey} is '{directory}', which cannot be used as the data folder: {ex.Message}");
        }
    }

    /// <summary>A sub-folder of the data folder, created on first use.</summary>
    public string SubDirectory(string name)
    {
        var path = Path.Combine(DataDirectory, name);
        Directory.CreateDirectory(path);
        return path;
    }
}
