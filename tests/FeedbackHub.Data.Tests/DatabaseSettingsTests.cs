using FeedbackHub.Data.Database;
using FeedbackHub.Testing;
using Microsoft.Extensions.Configuration;

namespace FeedbackHub.Data.Tests;

public sealed class DatabaseSettingsTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    [Fact]
    public void FromConfiguration_NothingSet_UsesSqliteFileInDataFolder()
    {
        var settings = Read(new() { [StorageSettings.DataDirectoryKey] = _directory.Path });

        Assert.Equal(DatabaseProvider.Sqlite, settings.Provider);
        Assert.Contains(Path.Combine(_directory.Path, DatabaseSettings.SqliteFileName), settings.ConnectionString, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("postgres")]
    [InlineData("Postgres")]
    [InlineData("POSTGRES")]
    public void FromConfiguration_ProviderInAnyCase_IsAccepted(string value)
    {
        var settings = Read(new()
        {
            [DatabaseSettings.ProviderKey] = value,
            [DatabaseSettings.ConnectionStringKey] = "Host=127.0.0.1;Database=feedbackhub",
        });

        Assert.Equal(DatabaseProvider.Postgres, settings.Provider);
    }

    [Theory]
    [InlineData("SqlServer")]
    [InlineData("1")]
    [InlineData("mysql")]
    public void FromConfiguration_UnknownProvider_NamesTheSettingAndTheChoices(string value)
    {
        var error = Assert.Throws<SettingsException>(() => Read(new() { [DatabaseSettings.ProviderKey] = value }));

        Assert.Equal(DatabaseSettings.ProviderKey, error.Setting);
        Assert.Contains($"'{value}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'Sqlite'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'Postgres'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromConfiguration_PostgresWithoutConnectionString_SaysWhatIsRequired()
    {
        var error = Assert.Throws<SettingsException>(() => Read(new() { [DatabaseSettings.ProviderKey] = "Postgres" }));

        Assert.Equal(DatabaseSettings.ConnectionStringKey, error.Setting);
        Assert.Contains("required", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Host=127.0.0.1;Port=notaport")]
    [InlineData("this is not a connection string")]
    [InlineData("Database=feedbackhub")]
    public void FromConfiguration_MalformedPostgresConnectionString_NamesTheSetting(string connectionString)
    {
        var error = Assert.Throws<SettingsException>(() => Read(new()
        {
            [DatabaseSettings.ProviderKey] = "Postgres",
            [DatabaseSettings.ConnectionStringKey] = connectionString,
        }));

        Assert.Equal(DatabaseSettings.ConnectionStringKey, error.Setting);
        Assert.StartsWith(DatabaseSettings.ConnectionStringKey, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromConfiguration_MalformedSqliteConnectionString_NamesTheSetting()
    {
        var error = Assert.Throws<SettingsException>(() => Read(new()
        {
            [StorageSettings.DataDirectoryKey] = _directory.Path,
            [DatabaseSettings.ConnectionStringKey] = "Mode=Sideways",
        }));

        Assert.Equal(DatabaseSettings.ConnectionStringKey, error.Setting);
    }

    [Fact]
    public void DescribeTarget_WithPassword_HidesIt()
    {
        var settings = new DatabaseSettings(DatabaseProvider.Postgres, "Host=db;Database=fh;Username=u;Password=hunter2-secret");

        Assert.DoesNotContain("hunter2-secret", settings.DescribeTarget(), StringComparison.Ordinal);
    }

    [Fact]
    public void StorageFromConfiguration_FolderCannotBeCreated_NamesTheSetting()
    {
        var blocker = _directory.File("a-file");
        File.WriteAllText(blocker, "not a folder");

        var error = Assert.Throws<SettingsException>(() => StorageSettings.FromConfiguration(
            Config(new() { [StorageSettings.DataDirectoryKey] = Path.Combine(blocker, "data") })));

        Assert.Equal(StorageSettings.DataDirectoryKey, error.Setting);
    }

    public void Dispose() => _directory.Dispose();

    private DatabaseSettings Read(Dictionary<string, string?> values)
    {
        values.TryAdd(StorageSettings.DataDirectoryKey, _directory.Path);
        var configuration = Config(values);
        return DatabaseSettings.FromConfiguration(configuration, StorageSettings.FromConfiguration(configuration));
    }

    private static IConfiguration Config(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
