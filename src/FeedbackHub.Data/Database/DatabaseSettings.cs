using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace FeedbackHub.Data.Database;

/// <summary>Which database to use and how to reach it, read and checked once at start-up.</summary>
public sealed record DatabaseSettings(DatabaseProvider Provider, string ConnectionString)
{
    public const string ProviderKey = "Database:Provider";
    public const string ConnectionStringName = "FeedbackHub";
    public const string ConnectionStringKey = "ConnectionStrings:" + ConnectionStringName;
    public const string SqliteFileName = "feedbackhub.db";

    /// <summary>
    /// Reads <c>Database:Provider</c> and <c>ConnectionStrings:FeedbackHub</c>; the SQLite default lives
    /// in <paramref name="storage"/>'s data folder. Throws <see cref="SettingsException"/> naming the bad setting.
    /// </summary>
    public static DatabaseSettings FromConfiguration(IConfiguration configuration, StorageSettings storage)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(storage);
        var provider = ParseProvider(configuration[ProviderKey]);
        var connectionString = configuration.GetConnectionString(ConnectionStringName);
        return provider switch
        {
            DatabaseProvider.Sqlite => new(provider, CheckSqlite(connectionString, storage)),
            _ => new(provider, CheckPostgres(connectionString)),
        };
    }

    /// <summary>Points the context at this database, with the migrations of the matching provider.</summary>
    public void Configure(DbContextOptionsBuilder options)
    {
        ArgumentNullException.ThrowIfNull(options);
        switch (Provider)
        {
            case DatabaseProvider.Sqlite:
                options.UseSqlite(ConnectionString, sqlite => sqlite.MigrationsAssembly(MigrationsAssemblies.Sqlite))
                    .AddInterceptors(SqliteConnectionSettings.Instance);
                break;
            case DatabaseProvider.Postgres:
                options.UseNpgsql(WithoutJit(ConnectionString), npgsql => npgsql.MigrationsAssembly(MigrationsAssemblies.Postgres));
                break;
        }
    }

    /// <summary>
    /// PostgreSQL's JIT compiles a plan's expressions when its estimated cost is high, which the dashboards'
    /// aggregates over a million rows always are: measured at 1.6 s of compiling for queries that run in less.
    /// Off for the app's connections unless the connection string's <c>Options</c> already say how to treat it.
    /// </summary>
    private static string WithoutJit(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.Options?.Contains("jit", StringComparison.OrdinalIgnoreCase) != true)
        {
            builder.Options = $"{builder.Options} -c jit=off".Trim();
        }

        return builder.ConnectionString;
    }

    /// <summary>The connection string without its password, for messages and logs.</summary>
    public string DescribeTarget()
    {
        var builder = new DbConnectionStringBuilder { ConnectionString = ConnectionString };
        foreach (var secret in new[] { "Password", "Pwd" })
        {
            if (builder.ContainsKey(secret))
            {
                builder[secret] = "***";
            }
        }

        return $"{Provider} ({builder.ConnectionString})";
    }

    private static DatabaseProvider ParseProvider(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return DatabaseProvider.Sqlite;
        }

        if (Enum.TryParse<DatabaseProvider>(value.Trim(), ignoreCase: true, out var provider)
            && Enum.IsDefined(provider)
            && !int.TryParse(value, out _))
        {
            return provider;
        }

        throw new SettingsException(ProviderKey,
            $"{ProviderKey} is '{value}', which is not a supported database. Use 'Sqlite' (the default) or 'Postgres'.");
    }

    private static string CheckSqlite(string? connectionString, StorageSettings storage)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return new SqliteConnectionStringBuilder
            {
                DataSource = Path.Combine(storage.DataDirectory, SqliteFileName),
                Pooling = true,
            }.ToString();
        }

        try
        {
            var builder = new SqliteConnectionStringBuilder(connectionString);
            if (string.IsNullOrWhiteSpace(builder.DataSource))
            {
                throw new SettingsException(ConnectionStringKey,
                    $"{ConnectionStringKey} has no 'Data Source'; name the SQLite file, e.g. 'Data Source=data/feedbackhub.db'.");
            }

            return builder.ToString();
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or KeyNotFoundException)
        {
            throw new SettingsException(ConnectionStringKey,
                $"{ConnectionStringKey} is not a valid SQLite connection string: {ex.Message}");
        }
    }

    private static string CheckPostgres(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new SettingsException(ConnectionStringKey,
                $"{ConnectionStringKey} is required when {ProviderKey} is Postgres, " +
                "e.g. 'Host=127.0.0.1;Port=5432;Database=feedbackhub;Username=feedbackhub;Password=…'.");
        }

        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            if (string.IsNullOrWhiteSpace(builder.Host))
            {
                throw new SettingsException(ConnectionStringKey,
                    $"{ConnectionStringKey} has no 'Host'; name the PostgreSQL server, e.g. 'Host=127.0.0.1;Database=feedbackhub;…'.");
            }

            return builder.ConnectionString;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or KeyNotFoundException or InvalidCastException)
        {
            throw new SettingsException(ConnectionStringKey,
                $"{ConnectionStringKey} is not a valid PostgreSQL connection string: {ex.Message}");
        }
    }
}
