using System.Security.Cryptography;
using System.Text;
using FeedbackHub.Data;
using FeedbackHub.Data.ApiKeys;
using FeedbackHub.Data.Auditing;
using FeedbackHub.Web.Features.Auditing;
using Microsoft.EntityFrameworkCore;

namespace FeedbackHub.Web.Features.ApiKeys;

/// <summary>A new key and its secret, which is shown this once and never stored.</summary>
public sealed record CreatedApiKey(ApiKey Key, string Secret);

/// <summary>Creates, lists, revokes and checks API keys (<c>fh_{keyId}_{secret}</c>; only a hash of the secret is kept).</summary>
public sealed class ApiKeyService(AppDbContext db, AuditTrail audit, TimeProvider time)
{
    public const string Prefix = "fh_";

    /// <summary>Last-used times are written at most this often per key, so a busy key does not write on every call.</summary>
    public static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    public async Task<OperationResult<CreatedApiKey>> CreateAsync(Actor actor, string name, IReadOnlyCollection<string> scopes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(scopes);
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > FieldLengths.Name)
        {
            errors.Add($"Give the key a name of 1 to {FieldLengths.Name} characters, e.g. the shop system that uses it.");
        }

        var unknown = scopes.Except(ApiScopes.All, StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            errors.Add($"Unknown scope(s): {string.Join(", ", unknown)}. Use {string.Join(", ", ApiScopes.All)}.");
        }
        else if (scopes.Count == 0)
        {
            errors.Add($"Choose at least one scope: {string.Join(", ", ApiScopes.All)}.");
        }

        if (errors.Count > 0)
        {
            return new(null, errors);
        }

        var keyId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var secret = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var key = new ApiKey
        {
            KeyId = keyId,
            Name = name.Trim(),
            SecretHash = Hash(secret),
            Scopes = string.Join(' ', ApiScopes.All.Where(scopes.Contains)),
            CreatedAt = time.GetUtcNow(),
            CreatedBy = actor.Name,
        };
        db.ApiKeys.Add(key);
        audit.Add(actor, AuditActions.ApiKeyCreated, $"apikey:{keyId}", $"name: {key.Name}; scopes: {key.Scopes}");
        await db.SaveChangesAsync(cancellationToken);
        return new(new CreatedApiKey(key, $"{Prefix}{keyId}_{secret}"), []);
    }

    public async Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken) =>
        await db.ApiKeys.AsNoTracking().OrderBy(k => k.RevokedAt != null).ThenBy(k => k.Name).ToListAsync(cancellationToken);

    public async Task<bool> RevokeAsync(Actor actor, long id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == id, cancellationToken);
        if (key is null || key.RevokedAt is not null)
        {
            return false;
        }

        key.RevokedAt = time.GetUtcNow();
        audit.Add(actor, AuditActions.ApiKeyRevoked, $"apikey:{key.KeyId}", $"name: {key.Name}");
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>The active key for a presented token, or null; compares secrets in constant time.</summary>
    public async Task<ApiKey?> FindActiveAsync(string token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (!token.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var separator = token.IndexOf('_', Prefix.Length);
        if (separator < 0)
        {
            return null;
        }

        var keyId = token[Prefix.Length..separator];
        var key = await db.ApiKeys.AsNoTracking().SingleOrDefaultAsync(k => k.KeyId == keyId && k.RevokedAt == null, cancellationToken);
        if (key is null || !CryptographicOperations.FixedTimeEquals(
                Encoding.ASCII.GetBytes(Hash(token[(separator + 1)..])), Encoding.ASCII.GetBytes(key.SecretHash)))
        {
            return null;
        }

        var now = time.GetUtcNow();
        if (key.LastUsedAt is null || now - key.LastUsedAt > LastUsedResolution)
        {
            await db.ApiKeys.Where(k => k.Id == key.Id).ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now), cancellationToken);
        }

        return key;
    }

    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
