using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using FeedbackHub.Data;
using FeedbackHub.Data.Auditing;
using FeedbackHub.Data.Staff;
using FeedbackHub.Web.Features.Auditing;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace FeedbackHub.Web.Features.Staff;

/// <summary>
/// Creates the first admin on a fresh installation through a one-time link logged at start-up,
/// so there is never a default password.
/// </summary>
public sealed class FirstRunSetup(AppDbContext db, UserManager<StaffUser> users, AuditTrail audit, TimeProvider time)
{
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromHours(24);

    /// <summary>While no staff account exists, replaces any earlier setup token with a new one and returns it.</summary>
    public async Task<string?> IssueTokenIfNoStaffAsync(CancellationToken cancellationToken)
    {
        await db.SetupTokens.ExecuteDeleteAsync(cancellationToken);
        if (await db.Users.AnyAsync(cancellationToken))
        {
            return null;
        }

        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var now = time.GetUtcNow();
        db.SetupTokens.Add(new SetupToken { TokenHash = Hash(token), CreatedAt = now, ExpiresAt = now + TokenLifetime });
        await db.SaveChangesAsync(cancellationToken);
        return token;
    }

    public async Task<bool> IsValidAsync(string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token))
        {
            return false;
        }

        var hash = Hash(token);
        var now = time.GetUtcNow();
        return await db.SetupTokens.AnyAsync(t => t.TokenHash == hash && t.ExpiresAt > now, cancellationToken)
            && !await db.Users.AnyAsync(cancellationToken);
    }

    /// <summary>
    /// Spends the token and creates the admin in one transaction: a bad password leaves the token
    /// usable, and of two concurrent submissions only one can win.
    /// </summary>
    public async Task<OperationResult<StaffUser>> CompleteAsync(
        string token, string email, string? displayName, string password, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var hash = Hash(token);
        var now = time.GetUtcNow();
        var spent = await db.SetupTokens.Where(t => t.TokenHash == hash && t.ExpiresAt > now).ExecuteDeleteAsync(cancellationToken);
        if (spent != 1 || await db.Users.AnyAsync(cancellationToken))
        {
            return new(null, ["This setup link has been used or has expired. Restart FeedbackHub for a new one, or run 'feedbackhub users create-admin'."]);
        }

        var address = email.Trim();
        var user = new StaffUser
        {
            UserName = address,
            Email = address,
            EmailConfirmed = true,
            DisplayName = string.IsNullOrWhiteSpace(displayName) ? null : displayName.Trim(),
            CreatedAt = now,
        };
        var created = await users.CreateAsync(user, password);
        var withRole = created.Succeeded ? await users.AddToRoleAsync(user, StaffRoles.Admin) : created;
        if (!withRole.Succeeded)
        {
            return new(null, StaffAdministration.Describe(withRole));
        }

        audit.Add(new Actor(user.Id, address), AuditActions.SetupCompleted, StaffAdministration.Target(user));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new(user, []);
    }

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
