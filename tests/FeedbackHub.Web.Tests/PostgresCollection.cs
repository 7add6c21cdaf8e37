using FeedbackHub.Testing;

namespace FeedbackHub.Web.Tests;

/// <summary>Tests in this collection share one real PostgreSQL server (each test makes its own database).</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}
