using FeedbackHub.Data;
using FeedbackHub.Data.Auditing;
using FeedbackHub.Data.Staff;
using FeedbackHub.Web.Features.Auditing;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace FeedbackHub.Web.Features.Staff;

public enum StaffStatus
{
    Active,
    Invited,
    LockedOut,
    Disabled,
}

/// <summary>A staff account as the admin page shows it.</summary>
public sealed record StaffMember(
    string Id,
    string Email,
    string? DisplayName,
    IReadOnlyList<string> Roles,
    StaffStatus Status,
    DateTimeOffset CreatedAt);

/// <summary>
/// A new or re-invited account; <paramref name="Token"/> is the one-time secret of its set-password
/// link, or null when the password was set directly.
/// </summary>
public sealed record Invitation(string UserId, string Email, string? Token);

/// <summary>Invites, changes roles of, disables and enables staff accounts, keeping at least one active admin.</summary>
public sealed class StaffAdministration(
    UserManager<StaffUser> users,
    AppDbContext db,
    AuditTrail audit,
    StaffMail mail,
    IDataProtectionProvider dataProtection,
    TimeProvider time)
{
    public async Task<IReadOnlyList<StaffMember>> ListAsync(CancellationToken cancellationToken)
    {
        var accounts = await db.Users.AsNoTracking().OrderBy(u => u.Email).ToListAsync(cancellationToken);
        var roleNames = await db.Roles.AsNoTracking().ToDictionaryAsync(r => r.Id, r => r.Name!, cancellationToken);
        var memberships = (await db.UserRoles.AsNoTracking().ToListAsync(cancellationToken))
            .ToLookup(ur => ur.UserId, ur => roleNames[ur.RoleId]);
        var now = time.GetUtcNow();
        return [.. accounts.Select(u => new StaffMember(
            u.Id,
            u.Email ?? "",
            u.DisplayName,
            [.. memberships[u.Id].Order(StringComparer.Ordinal)],
            StatusOf(u, now),
            u.CreatedAt))];
    }

    /// <summary>
    /// Creates an account without a password and emails its owner the one-time link that lets them
    /// set one (queued in the same transaction); the token is returned too, for admins to pass on by hand.
    /// </summary>
    public async Task<OperationResult<Invitation>> InviteAsync(
        Actor actor, string email, string? displayName, IReadOnlyCollection<string> roles, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(roles);
        var problems = CheckNewAccount(email, roles);
        if (problems.Count > 0)
        {
            return Fail<Invitation>(problems);
        }

        EnsureDataProtectionKey();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var created = await CreateAccountAsync(email, displayName, password: null, roles);
        if (!created.Succeeded)
        {
            return Fail<Invitation>(created.Errors);
        }

        var user = created.Value!;
        audit.Add(actor, AuditActions.Invited, Target(user), $"roles: {string.Join(", ", roles)}");
        var invitation = new Invitation(user.Id, user.Email!, await users.GeneratePasswordResetTokenAsync(user));
        await mail.QueueInvitationAsync(user, invitation, actor, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Ok(invitation);
    }

    /// <summary>Creates an admin, with a password when given, otherwise as an invitation.</summary>
    public async Task<OperationResult<Invitation>> CreateAdminAsync(
        Actor actor, string email, string? displayName, string? password, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (password is null)
        {
            return await InviteAsync(actor, email, displayName, [StaffRoles.Admin], cancellationToken);
        }

        var problems = CheckNewAccount(email, [StaffRoles.Admin]);
        if (problems.Count > 0)
        {
            return Fail<Invitation>(problems);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var created = await CreateAccountAsync(email, displayName, password, [StaffRoles.Admin]);
        if (!created.Succeeded)
        {
            return Fail<Invitation>(created.Errors);
        }

        audit.Add(actor, AuditActions.Invited, Target(created.Value!), "roles: Admin; password set directly");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Ok(new Invitation(created.Value!.Id, created.Value.Email!, Token: null));
    }

    /// <summary>A fresh one-time link for an account (invitation not used in time, or a forgotten password).</summary>
    public async Task<OperationResult<Invitation>> ReissueInvitationAsync(Actor actor, string userId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return Fail<Invitation>(["This staff account no longer exists."]);
        }

        audit.Add(actor, AuditActions.Invited, Target(user), "new one-time link issued");
        var invitation = new Invitation(user.Id, user.Email!, await users.GeneratePasswordResetTokenAsync(user));
        await mail.QueueInvitationAsync(user, invitation, actor, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return Ok(invitation);
    }

    /// <summary>
    /// Emails a one-time link to choose a new password, when an enabled account has this address.
    /// Says nothing about whether it does: the page answers the same either way.
    /// </summary>
    public async Task RequestPasswordResetAsync(string email, CancellationToken cancellationToken)
    {
        var user = await users.FindByEmailAsync(email.Trim());
        if (user is null || user.IsDisabled)
        {
            return;
        }

        audit.Add(new Actor(user.Id, user.Email!), AuditActions.PasswordResetRequested, Target(user));
        await mail.QueuePasswordResetAsync(user, new Invitation(user.Id, user.Email!, await users.GeneratePasswordResetTokenAsync(user)), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<OperationResult<bool>> SetRolesAsync(
        Actor actor, string userId, IReadOnlyCollection<string> roles, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(roles);
        var unknown = roles.Except(StaffRoles.All).ToList();
        if (unknown.Count > 0)
        {
            return Fail<bool>([$"Unknown role(s): {string.Join(", ", unknown)}."]);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return Fail<bool>(["This staff account no longer exists."]);
        }

        var current = await users.GetRolesAsync(user);
        if (current.Contains(StaffRoles.Admin) && !roles.Contains(StaffRoles.Admin) && !await OtherActiveAdminExistsAsync(user))
        {
            return Fail<bool>(["At least one active admin must remain; make someone else admin first."]);
        }

        var removed = await users.RemoveFromRolesAsync(user, current.Except(roles));
        var added = removed.Succeeded ? await users.AddToRolesAsync(user, roles.Except(current)) : removed;
        if (!added.Succeeded)
        {
            return Fail<bool>(Describe(added));
        }

        // A new security stamp makes open sessions pick up the new roles (or lose the old ones) at once.
        await users.UpdateSecurityStampAsync(user);
        audit.Add(actor, AuditActions.RolesChanged, Target(user),
            $"from [{string.Join(", ", current.Order(StringComparer.Ordinal))}] to [{string.Join(", ", roles.Order(StringComparer.Ordinal))}]");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Ok(true);
    }

    /// <summary>Disables the account and ends its sessions; the account and its history stay.</summary>
    public async Task<OperationResult<bool>> DisableAsync(Actor actor, string userId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return Fail<bool>(["This staff account no longer exists."]);
        }

        if (user.Id == actor.UserId)
        {
            return Fail<bool>(["You cannot disable your own account."]);
        }

        if (await users.IsInRoleAsync(user, StaffRoles.Admin) && !await OtherActiveAdminExistsAsync(user))
        {
            return Fail<bool>(["At least one active admin must remain."]);
        }

        user.DisabledAt ??= time.GetUtcNow();
        // The security stamp is checked on every request, so this ends every open session.
        await users.UpdateSecurityStampAsync(user);
        audit.Add(actor, AuditActions.Disabled, Target(user));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Ok(true);
    }

    public async Task<OperationResult<bool>> EnableAsync(Actor actor, string userId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return Fail<bool>(["This staff account no longer exists."]);
        }

        user.DisabledAt = null;
        await users.UpdateAsync(user);
        audit.Add(actor, AuditActions.Enabled, Target(user));
        await db.SaveChangesAsync(cancellationToken);
        return Ok(true);
    }

    internal static string Target(StaffUser user) => $"staff:{user.Email}";

    internal static IReadOnlyList<string> Describe(IdentityResult result) => [.. result.Errors.Select(e => e.Description)];

    private static StaffStatus StatusOf(StaffUser user, DateTimeOffset now) => user switch
    {
        { DisabledAt: not null } => StaffStatus.Disabled,
        { LockoutEnd: { } end } when end > now => StaffStatus.LockedOut,
        { PasswordHash: null } => StaffStatus.Invited,
        _ => StaffStatus.Active,
    };

    private static List<string> CheckNewAccount(string email, IReadOnlyCollection<string> roles)
    {
        var problems = new List<string>();
        if (!EmailAddresses.IsPlain(email?.Trim() ?? "") || email!.Length > FieldLengths.Email)
        {
            problems.Add($"'{email}' is not a valid email address.");
        }

        if (roles.Count == 0)
        {
            problems.Add("Choose at least one role.");
        }

        var unknown = roles.Except(StaffRoles.All).ToList();
        if (unknown.Count > 0)
        {
            problems.Add($"Unknown role(s): {string.Join(", ", unknown)}. Use {string.Join(", ", StaffRoles.All)}.");
        }

        return problems;
    }

    private async Task<OperationResult<StaffUser>> CreateAccountAsync(
        string email, string? displayName, string? password, IReadOnlyCollection<string> roles)
    {
        var address = email.Trim();
        if (await users.FindByEmailAsync(address) is not null)
        {
            return Fail<StaffUser>([$"A staff account for {address} already exists."]);
        }

        var user = new StaffUser
        {
            UserName = address,
            Email = address,
            EmailConfirmed = password is not null,
            DisplayName = string.IsNullOrWhiteSpace(displayName) ? null : displayName.Trim(),
            CreatedAt = time.GetUtcNow(),
        };
        var created = password is null ? await users.CreateAsync(user) : await users.CreateAsync(user, password);
        var withRoles = created.Succeeded ? await users.AddToRolesAsync(user, roles) : created;
        return withRoles.Succeeded ? Ok(user) : Fail<StaffUser>(Describe(withRoles));
    }

    private async Task<bool> OtherActiveAdminExistsAsync(StaffUser user)
    {
        var admins = await users.GetUsersInRoleAsync(StaffRoles.Admin);
        return admins.Any(a => a.Id != user.Id && !a.IsDisabled && a.PasswordHash is not null);
    }

    /// <summary>
    /// Makes sure the data-protection key ring has a key before a transaction starts. The invitation
    /// token is made inside the transaction, and on a fresh installation that would create the first
    /// key through a second connection, which SQLite's single writer makes wait for ours: "database is locked".
    /// </summary>
    private void EnsureDataProtectionKey() => dataProtection.CreateProtector("FeedbackHub.KeyRing").Protect([]);

    private static OperationResult<T> Ok<T>(T value) => new(value, []);

    private static OperationResult<T> Fail<T>(IReadOnlyList<string> errors) => new(default, errors);
}
