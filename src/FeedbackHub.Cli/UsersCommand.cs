using System.CommandLine;
using FeedbackHub.Web.Features.Auditing;
using FeedbackHub.Web.Features.Staff;
using Microsoft.Extensions.DependencyInjection;

namespace FeedbackHub.Cli;

/// <summary><c>feedbackhub users create-admin</c>: an admin account without the web setup link.</summary>
internal static class UsersCommand
{
    public static Command Create()
    {
        var email = new Option<string>("--email") { Description = "The admin's email address (their login).", Required = true };
        var name = new Option<string?>("--name") { Description = "Display name (optional)." };
        var passwordFromStdin = new Option<bool>("--password-stdin")
        {
            Description = "Read the password from standard input instead of printing a one-time link to choose it.",
        };
        var baseUrl = new Option<Uri>("--base-url")
        {
            Description = "The address staff use to reach FeedbackHub, for the one-time link.",
            DefaultValueFactory = _ => new Uri("http://localhost:5000/"),
        };
        var createAdmin = new Command("create-admin", "Create an admin account; prints a one-time link (last line) to choose the password.")
        {
            email, name, passwordFromStdin, baseUrl,
        };
        createAdmin.SetAction((parse, cancellationToken) => CliHost.RunAsync(async (services, ct) =>
        {
            var password = parse.GetValue(passwordFromStdin) ? (await Console.In.ReadLineAsync(ct))?.TrimEnd('\r', '\n') : null;
            if (parse.GetValue(passwordFromStdin) && string.IsNullOrEmpty(password))
            {
                throw new VerbFailedException("--password-stdin was given but standard input held no password.");
            }

            var staff = services.GetRequiredService<StaffAdministration>();
            var result = await staff.CreateAdminAsync(Actor.System, parse.GetValue(email)!, parse.GetValue(name), password, ct);
            if (!result.Succeeded)
            {
                throw new VerbFailedException(string.Join(" ", result.Errors));
            }

            var invitation = result.Value!;
            return invitation.Token is null
                ? Summary.Format(("status", "ok"), ("user_id", invitation.UserId), ("email", invitation.Email))
                : Summary.Format(("status", "ok"), ("user_id", invitation.UserId), ("email", invitation.Email),
                    ("expires_in_days", StaffIdentity.InvitationLifetime.TotalDays),
                    ("invite_url", StaffLinks.Invitation(parse.GetValue(baseUrl)!, invitation)));
        }, cancellationToken));

        return new Command("users", "Manage staff accounts.") { createAdmin };
    }
}
