namespace FeedbackHub.Data.Database;

/// <summary>One migrations project per provider; the host references both, the context picks by name.</summary>
public static class MigrationsAssemblies
{
    public const string Sqlite = "FeedbackHub.Migrations.Sqlite";
    public const string Postgres = "FeedbackHub.Migrations.Postgres";
}
