namespace FeedbackHub.Data.ApiKeys;

/// <summary>A credential a shop system uses for the REST API. Only a hash of its secret is stored.</summary>
public sealed class ApiKey
{
    public long Id { get; set; }

    /// <summary>The public, non-secret part of the key (shown in lists and logs), unique.</summary>
    public required string KeyId { get; set; }

    public required string Name { get; set; }

    /// <summary>SHA-256 of the secret part, hex encoded.</summary>
    public required string SecretHash { get; set; }

    /// <summary>Space-separated scopes such as <c>ingest read</c>; see <see cref="ApiScopes"/>.</summary>
    public required string Scopes { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public string? CreatedBy { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    public IReadOnlyList<string> ScopeList => Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
