using System.Collections.Frozen;
using FeedbackHub.Data.Staff;
using Microsoft.AspNetCore.Identity;

namespace FeedbackHub.Web.Features.Staff;

/// <summary>
/// Refuses passwords that are common, built on a common stem, a keyboard or number run, a short
/// repeated pattern, or the user's own email name. Length is checked by Identity itself.
/// </summary>
public sealed class CommonPasswordValidator : IPasswordValidator<StaffUser>
{
    public const string ErrorCode = "CommonPassword";

    private static readonly FrozenSet<string> CommonPasswords = LoadList();

    /// <summary>Printable ASCII digits and symbols, stripped from both ends to find the stem.</summary>
    private static readonly char[] DigitsAndSymbols =
        [.. Enumerable.Range(32, 95).Select(code => (char)code).Where(c => !char.IsLetter(c))];

    private static readonly string[] Runs =
    [
        "abcdefghijklmnopqrstuvwxyz",
        "01234567890123456789",
        "qwertyuiopasdfghjklzxcvbnm",
        "azertyuiopqsdfghjklmwxcvbn",
        "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
        "1q2w3e4r5t6y7u8i9o0p",
    ];

    public Task<IdentityResult> ValidateAsync(UserManager<StaffUser> manager, StaffUser user, string? password)
    {
        ArgumentNullException.ThrowIfNull(user);
        return Task.FromResult(IsGuessable(password ?? "", user.Email)
            ? IdentityResult.Failed(new IdentityError
            {
                Code = ErrorCode,
                Description = "This password is too common or too easy to guess. Use a longer phrase of unrelated words.",
            })
            : IdentityResult.Success);
    }

    /// <summary>True when the password would be among an attacker's first guesses.</summary>
    public static bool IsGuessable(string password, string? email)
    {
        ArgumentNullException.ThrowIfNull(password);
        var lower = password.Trim().ToLowerInvariant();
        var stem = lower.Trim(DigitsAndSymbols);
        if (CommonPasswords.Contains(lower) || CommonPasswords.Contains(stem) || IsRepetition(lower) || IsRun(lower))
        {
            return true;
        }

        var emailName = email?.Split('@')[0].ToLowerInvariant();
        return emailName is { Length: >= 4 } && lower.Contains(emailName, StringComparison.Ordinal);
    }

    private static bool IsRepetition(string value)
    {
        for (var unit = 1; unit <= Math.Min(4, value.Length / 2); unit++)
        {
            var pattern = value[..unit];
            var repeated = string.Concat(Enumerable.Repeat(pattern, value.Length / unit + 1));
            if (repeated.StartsWith(value, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsRun(string value) =>
        Runs.Any(run => run.Contains(value, StringComparison.Ordinal)
            || new string(run.Reverse().ToArray()).Contains(value, StringComparison.Ordinal));


    private static FrozenSet<string> LoadList()
    {
        using var stream = typeof(CommonPasswordValidator).Assembly.GetManifestResourceStream("FeedbackHub.CommonPasswords")
            ?? throw new InvalidOperationException("The embedded common-password list is missing from the build.");
        using var reader = new StreamReader(stream);
        var entries = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            var entry = line.Trim();
            if (entry.Length > 0 && !entry.StartsWith('#'))
            {
                entries.Add(entry.ToLowerInvariant());
            }
        }

        return entries.ToFrozenSet(StringComparer.Ordinal);
    }
}
