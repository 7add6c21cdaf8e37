namespace FeedbackHub.Data.Database;

public enum DatabaseProvider
{
    /// <summary>Embedded default: one file in the data folder, nothing to install.</summary>
    Sqlite,

    /// <summary>Server database for real deployments and several app nodes.</summary>
    Postgres,
}
