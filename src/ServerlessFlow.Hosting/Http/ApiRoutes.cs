using Microsoft.AspNetCore.Http;

namespace ServerlessFlow.Hosting.Http;

/// <summary>
/// The route table of the HTTP API (DESIGN §6): the single list both hosts map, so that the dev server
/// and the Function App cannot drift apart.
/// </summary>
public static class ApiRoutes
{
    /// <summary>The path prefix of every route. Azure Functions adds it itself (host.json <c>extensions.http.routePrefix</c>).</summary>
    public const string Prefix = "api";

    /// <summary>Route template of the workflow collection.</summary>
    public const string WorkflowsTemplate = "workflows";

    /// <summary>Route template that starts a workflow of a type.</summary>
    public const string StartTemplate = "workflows/{type}";

    /// <summary>Route template of one workflow.</summary>
    public const string WorkflowTemplate = "workflows/{id}";

    /// <summary>Route template of a workflow's result (long-poll).</summary>
    public const string ResultTemplate = "workflows/{id}/result";

    /// <summary>Route template of a workflow's history.</summary>
    public const string HistoryTemplate = "workflows/{id}/history";

    /// <summary>Route template that signals a workflow.</summary>
    public const string SignalTemplate = "workflows/{id}/signals/{name}";

    /// <summary>Route template that queries a workflow.</summary>
    public const string QueryTemplate = "workflows/{id}/queries/{name}";

    /// <summary>Route template that signals a workflow, starting it first if no run is open.</summary>
    public const string SignalWithStartTemplate = "workflows/{type}/signal-with-start/{name}";

    /// <summary>Route template that updates a workflow.</summary>
    public const string UpdateTemplate = "workflows/{id}/updates/{name}";

    /// <summary>Route template that asks a workflow to cancel.</summary>
    public const string CancelTemplate = "workflows/{id}/cancel";

    /// <summary>Route template that terminates a workflow.</summary>
    public const string TerminateTemplate = "workflows/{id}/terminate";

    /// <summary>Route template that suspends a workflow.</summary>
    public const string SuspendTemplate = "workflows/{id}/suspend";

    /// <summary>Route template that resumes a suspended workflow.</summary>
    public const string ResumeTemplate = "workflows/{id}/resume";

    /// <summary>Route template of the schedule collection.</summary>
    public const string SchedulesTemplate = "schedules";

    /// <summary>Route template of one schedule.</summary>
    public const string ScheduleTemplate = "schedules/{id}";

    /// <summary>Route template that pauses a schedule.</summary>
    public const string SchedulePauseTemplate = "schedules/{id}/pause";

    /// <summary>Route template that unpauses a schedule.</summary>
    public const string ScheduleUnpauseTemplate = "schedules/{id}/unpause";

    /// <summary>Route template that makes a schedule take an action now.</summary>
    public const string ScheduleTriggerTemplate = "schedules/{id}/trigger";

    /// <summary>Route template that makes a schedule take the actions of a past range.</summary>
    public const string ScheduleBackfillTemplate = "schedules/{id}/backfill";

    /// <summary>Route template of the dead-letter collection.</summary>
    public const string DeadLettersTemplate = "deadletters";

    /// <summary>Route template of one dead letter.</summary>
    public const string DeadLetterTemplate = "deadletters/{id}";

    /// <summary>Route template that puts a dead letter back on its queue.</summary>
    public const string DeadLetterReplayTemplate = "deadletters/{id}/replay";

    /// <summary>Every route, in the order a reader meets them in docs/http-api.md.</summary>
    public static IReadOnlyList<ApiRoute> All { get; } =
    [
        new("StartWorkflow", HttpMethods.Post, StartTemplate, WorkflowCommandEndpoints.StartAsync),
        new("DescribeWorkflow", HttpMethods.Get, WorkflowTemplate, WorkflowQueryEndpoints.DescribeAsync),
        new("GetWorkflowResult", HttpMethods.Get, ResultTemplate, WorkflowQueryEndpoints.GetResultAsync),
        new("GetWorkflowHistory", HttpMethods.Get, HistoryTemplate, WorkflowQueryEndpoints.GetHistoryAsync),
        new("SignalWorkflow", HttpMethods.Post, SignalTemplate, WorkflowCommandEndpoints.SignalAsync),
        new("SignalWithStartWorkflow", HttpMethods.Post, SignalWithStartTemplate, WorkflowCommandEndpoints.SignalWithStartAsync),
        new("QueryWorkflow", HttpMethods.Get, QueryTemplate, WorkflowQueryEndpoints.QueryAsync),
        new("QueryWorkflowWithArgument", HttpMethods.Post, QueryTemplate, WorkflowQueryEndpoints.QueryAsync),
        new("UpdateWorkflow", HttpMethods.Post, UpdateTemplate, WorkflowCommandEndpoints.UpdateAsync),
        new("CancelWorkflow", HttpMethods.Post, CancelTemplate, WorkflowCommandEndpoints.CancelAsync),
        new("TerminateWorkflow", HttpMethods.Post, TerminateTemplate, WorkflowCommandEndpoints.TerminateAsync),
        new("SuspendWorkflow", HttpMethods.Post, SuspendTemplate, WorkflowSuspensionEndpoints.SuspendAsync),
        new("ResumeWorkflow", HttpMethods.Post, ResumeTemplate, WorkflowSuspensionEndpoints.ResumeAsync),
        new("ListWorkflows", HttpMethods.Get, WorkflowsTemplate, WorkflowQueryEndpoints.ListAsync),
        new("PurgeWorkflow", HttpMethods.Delete, WorkflowTemplate, WorkflowPurgeEndpoints.PurgeAsync),
        new("PurgeWorkflows", HttpMethods.Delete, WorkflowsTemplate, WorkflowPurgeEndpoints.PurgeManyAsync),
        new("CreateSchedule", HttpMethods.Post, ScheduleTemplate, ScheduleEndpoints.CreateAsync),
        new("DescribeSchedule", HttpMethods.Get, ScheduleTemplate, ScheduleEndpoints.DescribeAsync),
        new("ListSchedules", HttpMethods.Get, SchedulesTemplate, ScheduleEndpoints.ListAsync),
        new("UpdateSchedule", HttpMethods.Put, ScheduleTemplate, ScheduleEndpoints.UpdateAsync),
        new("PauseSchedule", HttpMethods.Post, SchedulePauseTemplate, ScheduleEndpoints.PauseAsync),
        new("UnpauseSchedule", HttpMethods.Post, ScheduleUnpauseTemplate, ScheduleEndpoints.UnpauseAsync),
        new("TriggerSchedule", HttpMethods.Post, ScheduleTriggerTemplate, ScheduleEndpoints.TriggerAsync),
        new("BackfillSchedule", HttpMethods.Post, ScheduleBackfillTemplate, ScheduleEndpoints.BackfillAsync),
        new("DeleteSchedule", HttpMethods.Delete, ScheduleTemplate, ScheduleEndpoints.DeleteAsync),
        new("ListDeadLetters", HttpMethods.Get, DeadLettersTemplate, DeadLetterEndpoints.ListAsync),
        new("ReplayDeadLetter", HttpMethods.Post, DeadLetterReplayTemplate, DeadLetterEndpoints.ReplayAsync),
        new("DeleteDeadLetter", HttpMethods.Delete, DeadLetterTemplate, DeadLetterEndpoints.DeleteAsync),
    ];
}
