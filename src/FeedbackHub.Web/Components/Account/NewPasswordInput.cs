using System.ComponentModel.DataAnnotations;
using FeedbackHub.Web.Features.Staff;

namespace FeedbackHub.Web.Components.Account;

/// <summary>A new password typed twice; the full policy is checked by Identity when it is set.</summary>
public class NewPasswordInput
{
    [Required(ErrorMessage = "Choose a password.")]
    [StringLength(256, MinimumLength = StaffIdentity.MinimumPasswordLength,
        ErrorMessage = "Use at least {2} characters; a phrase of several words is easiest to remember.")]
    public string Password { get; set; } = "";

    [Required(ErrorMessage = "Type the password again.")]
    [Compare(nameof(Password), ErrorMessage = "The two passwords differ.")]
    public string ConfirmPassword { get; set; } = "";
}
