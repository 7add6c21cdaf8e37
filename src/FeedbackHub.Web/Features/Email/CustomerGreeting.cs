using FeedbackHub.Data.Customers;

namespace FeedbackHub.Web.Features.Email;

/// <summary>How customer emails address the customer.</summary>
public static class CustomerGreeting
{
    /// <summary>The customer's first name, or a polite stand-in in their language when the shop sent none.</summary>
    public static string FirstName(Customer customer, string language)
    {
        ArgumentNullException.ThrowIfNull(customer);
        return string.IsNullOrWhiteSpace(customer.FirstName) ? (language == CustomerLocales.Dutch ? "klant" : "valued customer") : customer.FirstName;
    }
}
