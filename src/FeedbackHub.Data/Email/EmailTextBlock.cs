namespace FeedbackHub.Data.Email;

/// <summary>
/// A marketer's wording for one block of one email template in one language, replacing the
/// built-in default. Placeholders such as <c>{first_name}</c> are filled in (HTML-encoded) on render.
/// </summary>
public sealed class EmailTextBlock
{
    public long Id { get; set; }

    public required string Template { get; set; }

    public required string Locale { get; set; }

    public required string Block { get; set; }

    public required string Text { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public string? UpdatedBy { get; set; }
}
