using Npgsql;
using Xunit;

namespace FeedbackHub.Testing;

/// <summary>
/// A real PostgreSQL server from Debian's <c>postgresql</c> package, started for the tests in a
/// temporary data directory on a free loopback port and removed afterwards. Each test asks for a
/// database of its own.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime, IDisposable
{
    private const string SuperUser = "feedbackhub";
    private TemporaryDirectory? _directory;
    private string? _binDirectory;
    private int _databaseCounter;

    public int Port { get; private set; }

    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = Port,
            Username = SuperUser,
            Database = database,
            Pooling = true,
            // Tests open many short-lived databases; do not keep idle connections to each around.
            MaxPoolSize = 20,
            ConnectionIdleLifetime = 10,
            ConnectionPruningInterval = 5,
        }.ConnectionString;

    public async Task InitializeAsync()
    {
        _binDirectory = FindBinDirectory();
        _directory = new TemporaryDirectory("feedbackhub-pg-");
        var data = Path.Combine(_directory.Path, "data");
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            // initdb refuses to run as root; the postgres system user (created by the package) owns the cluster.
            await RunCheckedAsync("chown", ["-R", "postgres:postgres", _directory.Path]);
        }

        await RunAsPostgresAsync(asRoot, Path.Combine(_binDirectory, "initdb"),
            ["-D", data, "-A", "trust", "-U", SuperUser, "--no-sync", "-E", "UTF8", "--locale=C"]);
        Port = LoopbackPorts.Free();
        var serverOptions = $"-p {Port} -k {_directory.Path} -c listen_addresses=127.0.0.1 -c fsync=off " +
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200";
        await RunAsPostgresAsync(asRoot, Path.Combine(_binDirectory, "pg_ctl"),
            ["-D", data, "-o", serverOptions, "-l", Path.Combine(_directory.Path, "server.log"), "-w", "-t", "60", "start"]);
    }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"test_{Interlocked.Increment(ref _databaseCounter)}_{Guid.NewGuid():N}";
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    public async Task DisposeAsync()
    {
        if (_directory is null || _binDirectory is null)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        await RunAsPostgresAsync(Environment.UserName == "root", Path.Combine(_binDirectory, "pg_ctl"),
            ["-D", Path.Combine(_directory.Path, "data"), "-m", "immediate", "-w", "stop"]);
        _directory.Dispose();
    }

    /// <summary>Removes the folder if start-up failed half-way (a started server is stopped by <see cref="DisposeAsync"/>).</summary>
    public void Dispose() => _directory?.Dispose();

    private static string FindBinDirectory()
    {
        var configured = Environment.GetEnvironmentVariable("FEEDBACKHUB_PG_BIN");
        if (!string.IsNullOrEmpty(configured))
        {
            return configured;
        }

        const string root = "/usr/lib/postgresql";
        var versions = Directory.Exists(root)
            ? Directory.GetDirectories(root).Where(d => File.Exists(Path.Combine(d, "bin", "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0).ToList()
            : [];
        return versions.Count > 0
            ? Path.Combine(versions[0], "bin")
            : throw new InvalidOperationException(
                "PostgreSQL is not installed: the tests need Debian's 'postgresql' package (tests/run.sh installs it), " +
                "or FEEDBACKHUB_PG_BIN pointing at a folder with initdb and pg_ctl.");
    }

    private static Task RunAsPostgresAsync(bool asRoot, string program, IReadOnlyList<string> arguments) =>
        asRoot
            ? RunCheckedAsync("su", ["postgres", "-s", "/bin/sh", "-c", string.Join(' ', new[] { program }.Concat(arguments).Select(ShellQuote))])
            : RunCheckedAsync(program, arguments);

    private static async Task RunCheckedAsync(string program, IReadOnlyList<string> arguments)
    {
        var result = await ProcessRunner.RunAsync(program, arguments, timeout: TimeSpan.FromMinutes(2));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed: {result}");
        }
    }

    private static string ShellQuote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
