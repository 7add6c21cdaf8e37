using FeedbackHub.Data;
using FeedbackHub.Data.Staff;
using FeedbackHub.Web.Features.Auditing;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;

namespace FeedbackHub.Web.Features.Staff;

public static class StaffIdentity
{
    /// <summary>PBKDF2-HMAC-SHA512 rounds; well above the 220,000 floor, about 0.2 s per hash here.</summary>
    public const int PasswordHashIterations = 600_000;

    public const int MinimumPasswordLength = 12;

    public const int MaxFailedLogins = 5;

    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);

    /// <summary>Invitation and password links stay valid this long (and only until used).</summary>
    public static readonly TimeSpan InvitationLifetime = TimeSpan.FromDays(3);

    /// <summary>
    /// Identity with the staff password and lockout policy, token providers, and data-protection keys
    /// in the database. Shared by the host and the CLI so both hash, validate and issue links alike.
    /// </summary>
    public static IServiceCollection AddStaffIdentityCore(this IServiceCollection services)
    {
        services.AddIdentityCore<StaffUser>(options =>
            {
                options.User.RequireUniqueEmail = true;
                options.SignIn.RequireConfirmedAccount = false;
                // Length beats composition rules (NIST SP 800-63B); common passwords are refused by a validator.
                options.Password.RequiredLength = MinimumPasswordLength;
                options.Password.RequireDigit = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireNonAlphanumeric = false;
                options.Password.RequiredUniqueChars = 1;
                options.Lockout.AllowedForNewUsers = true;
                options.Lockout.MaxFailedAccessAttempts = MaxFailedLogins;
                options.Lockout.DefaultLockoutTimeSpan = LockoutDuration;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<AppDbContext>()
            .AddSignInManager<StaffSignInManager>()
            .AddDefaultTokenProviders()
            .AddPasswordValidator<CommonPasswordValidator>();
        services.Configure<PasswordHasherOptions>(options => options.IterationCount = PasswordHashIterations);
        services.Configure<DataProtectionTokenProviderOptions>(options => options.TokenLifespan = InvitationLifetime);
        services.AddDataProtection()
            .SetApplicationName("FeedbackHub")
            .PersistKeysToDbContext<AppDbContext>();
        services.AddScoped<AuditTrail>();
        services.AddScoped<AuditLogSearch>();
        services.AddScoped<StaffAdministration>();
        services.AddScoped<StaffMail>();
        return services;
    }
}
