namespace FeedbackHub.Data.Staff;

/// <summary>
/// The one-time link that creates the first admin on a fresh installation. Only a hash is stored,
/// so reading the database does not give the link away.
/// </summary>
public sealed class SetupToken
{
    public long Id { get; set; }

    /// <summary>SHA-256 of the token, hex encoded.</summary>
    public required string TokenHash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }
}
