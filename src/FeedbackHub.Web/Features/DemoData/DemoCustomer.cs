using FeedbackHub.Data.Campaigns;
using FeedbackHub.Data.Churn;
using FeedbackHub.Data.Customers;
using FeedbackHub.Data.Orders;
using FeedbackHub.Data.Surveys;

namespace FeedbackHub.Web.Features.DemoData;

/// <summary>A campaign's decision for one of the customer's orders, with the rows its keys point at.</summary>
public sealed record DemoThankYou(ThankYou Row, Order Order, DiscountCode? Code);

/// <summary>
/// One invented customer with everything that hangs off them: orders and subscription events (in the
/// customer's collections), churn events, survey invitations and answers, campaign groups, codes and
/// thank-you decisions. Rows reach each other through navigations or the lists here; <see cref="LinkKeys"/>
/// copies the keys once the database (or a bulk writer) has given the rows their ids.
/// </summary>
public sealed class DemoCustomer(Customer customer)
{
    public Customer Customer { get; } = customer;

    /// <summary>Each with <see cref="ChurnEvent.Customer"/> set.</summary>
    public List<ChurnEvent> ChurnEvents { get; } = [];

    /// <summary>Each with <see cref="SurveyInvitation.ChurnEvent"/> and <see cref="SurveyInvitation.Customer"/> set.</summary>
    public List<SurveyInvitation> Invitations { get; } = [];

    /// <summary>Each with <see cref="SurveyResponse.Invitation"/> set.</summary>
    public List<SurveyResponse> Responses { get; } = [];

    public List<CampaignAssignment> Assignments { get; } = [];

    public List<DiscountCode> Codes { get; } = [];

    public List<DemoThankYou> ThankYous { get; } = [];

    /// <summary>Copies ids into the foreign keys that have no navigation; call again after each save that gives rows their ids.</summary>
    public void LinkKeys()
    {
        foreach (var response in Responses)
        {
            (response.CustomerId, response.InvitationId) = (Customer.Id, response.Invitation!.Id);
        }

        foreach (var assignment in Assignments)
        {
            assignment.CustomerId = Customer.Id;
        }

        foreach (var code in Codes)
        {
            code.CustomerId = Customer.Id;
        }

        foreach (var thankYou in ThankYous)
        {
            (thankYou.Row.CustomerId, thankYou.Row.OrderId, thankYou.Row.DiscountCodeId) = (Customer.Id, thankYou.Order.Id, thankYou.Code?.Id);
        }
    }
}
