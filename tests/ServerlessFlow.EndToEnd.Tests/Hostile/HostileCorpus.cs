using System.Text;

namespace ServerlessFlow.EndToEnd.Tests.Hostile;

/// <summary>
/// The generated hostile corpus (issue 11, "Hostile input, in CI"): every route of ApiRoutes.All with refused identifiers, malformed
/// and wrong-typed bodies, every wrong method, filter injection, absurd schedule specs and ranges and query-parameter tricks.
/// </summary>
/// <param name="idle">A workflow on a task queue no worker serves: its state changes only through the API.</param>
/// <param name="schedule">A paused schedule.</param>
/// <param name="stem">A prefix unique to this run for the IDs the corpus invents.</param>
internal sealed class HostileCorpus(string idle, string schedule, string stem)
{
    /// <summary>A task queue no worker of the dev server serves.</summary>
    public const string IdleTaskQueue = "idle";

    private const string Range = """{"startAt":"2026-01-01T00:00:00Z","endAt":"2026-01-01T02:00:00Z"}""";

    private int counter;

    public string Idle { get; } = idle;

    public string Schedule { get; } = schedule;

    public string Stem { get; } = stem;

    private Watched IdleWatch => Watched.Workflow(HostileIds.Encode(Idle));

    private Watched ScheduleWatch => Watched.Schedule(HostileIds.Encode(Schedule));

    /// <summary>Requests that each carry a refused identifier somewhere: all must be 400 and none may write anything.</summary>
    public IEnumerable<HostileRequest> RefusedIdentifiers()
    {
        var idle = HostileIds.Encode(Idle);
        var schedule = HostileIds.Encode(Schedule);
        foreach (var bad in HostileIds.Refused(Stem + "r" + Next() + "-"))
        {
            var id = bad.Encoded;
            (string Method, string Target, string? Body)[] requests =
            [
                ("POST", $"/api/workflows/HelloSequence?id={id}", Hello),
                ("POST", $"/api/workflows/HelloSequence?id={id}&envelope=true", "{\"input\":" + Hello + "}"),
                ("POST", $"/api/workflows/{id}?id={Fresh()}", Hello),
                ("POST", $"/api/workflows/HelloSequence?id={Fresh()}&taskQueue={id}", Hello),
                ("POST", $"/api/workflows/LoanApprovalWorkflow/signal-with-start/decide?id={id}", Decision),
                ("POST", $"/api/workflows/LoanApprovalWorkflow/signal-with-start/{id}?id={Fresh()}", Decision),
                ("POST", $"/api/workflows/LoanApprovalWorkflow/signal-with-start/decide?id={Fresh()}&requestId={id}", Decision),
                ("GET", $"/api/workflows/{id}", null),
                ("GET", $"/api/workflows/{id}/result", null),
                ("GET", $"/api/workflows/{id}/history", null),
                ("POST", $"/api/workflows/{id}/signals/decide", Decision),
                ("GET", $"/api/workflows/{id}/queries/status", null),
                ("POST", $"/api/workflows/{id}/queries/status", "null"),
                ("POST", $"/api/workflows/{id}/updates/set-amount?wait=0", "1500"),
                ("POST", $"/api/workflows/{id}/cancel", null),
                ("POST", $"/api/workflows/{id}/terminate", null),
                ("POST", $"/api/workflows/{id}/suspend", null),
                ("POST", $"/api/workflows/{id}/resume", null),
                ("DELETE", $"/api/workflows/{id}", null),
                ("POST", $"/api/workflows/{idle}/signals/{id}", Decision),
                ("POST", $"/api/workflows/{idle}/signals/decide?requestId={id}", Decision),
                ("GET", $"/api/workflows/{idle}/queries/{id}", null),
                ("POST", $"/api/workflows/{idle}/updates/{id}?wait=0", "1500"),
                ("POST", $"/api/workflows/{idle}/updates/set-amount?wait=0&updateId={id}", "1500"),
                ("POST", $"/api/schedules/{id}", ScheduleDefinition(paused: true)),
                ("GET", $"/api/schedules/{id}", null),
                ("PUT", $"/api/schedules/{id}", ScheduleDefinition()),
                ("PUT", $"/api/schedules/{schedule}", ScheduleDefinition(taskQueue: id)),
                ("POST", $"/api/schedules/{id}/pause", null),
                ("POST", $"/api/schedules/{id}/unpause", null),
                ("POST", $"/api/schedules/{id}/trigger", null),
                ("POST", $"/api/schedules/{id}/backfill", Range),
                ("DELETE", $"/api/schedules/{id}", null),
                ("POST", $"/api/deadletters/wf-default.{id}/replay", null),
                ("DELETE", $"/api/deadletters/wf-default.{id}", null),
            ];
            foreach (var (method, target, body) in requests)
            {
                var watch = target.Contains(idle, StringComparison.Ordinal) ? IdleWatch
                    : target.Contains(schedule, StringComparison.Ordinal) ? ScheduleWatch : null;
                yield return HostileRequest.Text("ids:" + bad.Label, method, target, body, mustRefuse: true, watch);
            }
        }
    }

    /// <summary>Malformed, truncated, deep, huge and invalid-UTF-8 bodies on every route that reads a body: all must be refused.</summary>
    public IEnumerable<HostileRequest> MalformedBodies()
    {
        foreach (var (label, body) in BadBodies())
        {
            foreach (var (method, target, watch) in BodyRoutes())
            {
                yield return new HostileRequest("body:" + label, method, target, body, MustRefuse: true, watch);
            }
        }
    }

    /// <summary>Valid JSON of the wrong shape or type for each field: any answer below 500, and a refusal changes nothing.</summary>
    public IEnumerable<HostileRequest> WrongTypes()
    {
        var idle = HostileIds.Encode(Idle);
        string[] inputs =
        [
            """{"count":"five","delayMs":0}""", """{"count":1.5,"delayMs":0}""", """{"count":null,"delayMs":0}""", """{"count":1e400}""",
            """{"count":2147483648}""", """{"Count":0,"DELAYMS":0}""", """{"count":0,"delayMs":0,"extra":[1,2,3]}""", "[]", "\"text\"", "42",
            "true", "null", """{"count":0,"delayMs":0,"timeoutMs":-1}""", """{"count":0,"delayMs":-5}""", """{"count":0,"delayMs":0,"timeoutMs":0}""",
            """{"count":0,"note":"nul\u0000inside"}""", """{"\u0000":0}""", """{"count":0,"note":"\u2028\u2029\uffff\ufdd0"}""",
            Nest(60, """{"count":0}"""),
        ];
        foreach (var input in inputs)
        {
            yield return HostileRequest.Text("types:start", "POST", $"/api/workflows/HelloSequence?id={Fresh()}&taskQueue={IdleTaskQueue}", input, false);
        }

        string[] envelopes =
        [
            """{"input":null,"memo":"text"}""", """{"memo":[]}""", """{"memo":{"a":1},"memo":{"b":2}}""", """{"inputs":{"count":0}}""",
            """{"searchAttributes":{"Nope":1}}""", """{"searchAttributes":{"ScheduledById":5}}""", """{"searchAttributes":{"ScheduledStartTime":"not a date"}}""",
            """{"searchAttributes":[]}""", """{"searchAttributes":{"ScheduledById":"a\u2028b"}}""", """{"searchAttributes":{"ScheduledById":null}}""",
            "{\"memo\":{\"big\":\"" + new string('m', 70_000) + "\"}}", "[]", "5", "\"input\"", "{\"memo\":" + Nest(62, "1") + "}",
            """{"input":{"count":0},"memo":{"":1,"\u0000":2}}""",
        ];
        foreach (var envelope in envelopes)
        {
            var id = Fresh();
            yield return HostileRequest.Text(
                "types:envelope", "POST", $"/api/workflows/HelloSequence?id={id}&taskQueue={IdleTaskQueue}&envelope=true", envelope, false, Watched.Workflow(id));
        }

        string[] signalWithStart = ["""{"signal":1,"input":"x"}""", """{"input":{},"memo":5}""", """{"sig":1}""", "[]", "7", """{"signal":{"approved":"yes"}}"""];
        foreach (var body in signalWithStart)
        {
            var id = Fresh();
            yield return HostileRequest.Text(
                "types:signal-with-start", "POST", $"/api/workflows/LoanApprovalWorkflow/signal-with-start/decide?id={id}&taskQueue={IdleTaskQueue}", body, false, Watched.Workflow(id));
        }

        string[] decisions = ["""{"approved":"yes","reviewer":"x"}""", """{"approved":1}""", "[]", "\"approve\"", """{"reviewer":5}""", "null", Nest(60, "true")];
        foreach (var decision in decisions)
        {
            yield return HostileRequest.Text("types:signal", "POST", $"/api/workflows/{idle}/signals/decide", decision, false, IdleWatch);
        }

        string[] amounts = ["\"abc\"", "{}", "[]", "true", "null", "1e400", "-1e400", "79228162514264337593543950336", "0.0000000000000000000000000001"];
        foreach (var amount in amounts)
        {
            yield return HostileRequest.Text("types:update", "POST", $"/api/workflows/{idle}/updates/set-amount?wait=0", amount, false, IdleWatch);
        }

        foreach (var argument in new[] { "\"abc\"", "{\"x\":[1,{}]}", Nest(60, "1") })
        {
            yield return HostileRequest.Text("types:query", "POST", $"/api/workflows/{idle}/queries/status", argument, false, IdleWatch);
        }
    }

    /// <summary>Schedule definitions of the wrong type and absurd specs and ranges, on create (paused), update and backfill.</summary>
    public IEnumerable<HostileRequest> Schedules()
    {
        var schedule = HostileIds.Encode(Schedule);
        string[] specs =
        [
            "\"x\"", "[]", """{"intervals":{}}""", """{"intervals":[{"every":5}]}""", """{"intervals":[{"every":"abc"}]}""",
            """{"intervals":[{"every":"-00:01:00"}]}""", """{"intervals":[{"every":"00:00:00"}]}""", """{"intervals":[{"every":"00:00:00.5"}]}""",
            """{"intervals":[{"every":"10675199.02:48:05.4775807"}]}""", """{"intervals":[{"every":"00:01:00","offset":"10675199.02:48:05"}]}""",
            """{"intervals":[{"every":"00:01:00","offset":"-00:05:00"}]}""", """{"cronExpressions":"* * * * *"}""", """{"cronExpressions":[5]}""",
            """{"cronExpressions":["* * * *"]}""", """{"cronExpressions":["61 * * * *"]}""", """{"cronExpressions":["0 0 30 2 *"]}""",
            """{"cronExpressions":["0 0 31 2 * 2099"]}""", """{"cronExpressions":["* * * * * * *"]}""", """{"cronExpressions":["@every 0s"]}""",
            """{"cronExpressions":["@every 1ns"]}""", """{"cronExpressions":["@every -5m"]}""", """{"cronExpressions":["CRON_TZ=Mars/Base * * * * *"]}""",
            """{"cronExpressions":["0 0 1 1 * 9999"]}""", """{"cronExpressions":["0 0 29 2 1 2100"]}""", "{\"cronExpressions\":[\"" + string.Join(" ", Enumerable.Repeat("1-59/1,*", 2000)) + "\"]}",
            """{"cronExpressions":["* * * * *"],"timeZone":"../../../../etc/passwd"}""", """{"cronExpressions":["* * * * *"],"timeZone":"Mars/Olympus"}""",
            """{"cronExpressions":["* * * * *"],"timeZone":5}""", """{"cronExpressions":["* * * * *"],"timeZone":"\u0000"}""",
            """{"intervals":[{"every":"01:00:00"}],"startAt":"9999-12-31T23:59:59Z"}""", """{"intervals":[{"every":"01:00:00"}],"startAt":"0001-01-01T00:00:00Z"}""",
            """{"intervals":[{"every":"01:00:00"}],"startAt":"2030-01-01T00:00:00Z","endAt":"2020-01-01T00:00:00Z"}""",
            """{"intervals":[{"every":"01:00:00"}],"endAt":"0001-01-01T00:00:00Z"}""", """{"intervals":[{"every":"01:00:00"}],"startAt":"2026-13-45T99:00:00Z"}""",
            """{"intervals":[{"every":"01:00:00"}],"jitter":"-1.00:00:00"}""", """{"intervals":[{"every":"01:00:00"}],"jitter":"10675199.00:00:00"}""",
            """{"intervals":[{"every":"01:00:00"}],"extra":1}""", "{}",
        ];
        foreach (var spec in specs)
        {
            var id = Fresh();
            yield return HostileRequest.Text("schedules:spec", "POST", $"/api/schedules/{id}", ScheduleBody(spec, Action(), "{}", paused: "true"), false, Watched.Schedule(id));
            yield return HostileRequest.Text("schedules:spec", "PUT", $"/api/schedules/{schedule}", ScheduleBody(spec, Action(), "{}"), false, ScheduleWatch);
        }

        string[] actions =
        [
            "5", "{}", """{"workflowType":5}""", """{"workflowType":"Nope"}""", """{"workflowType":"HelloSequence","taskQueue":"BAD QUEUE"}""",
            """{"workflowType":"HelloSequence","memo":"x"}""", """{"workflowType":"HelloSequence","searchAttributes":{"Nope":1}}""",
            """{"workflowType":"HelloSequence","input":"\ud800"}""", """{"workflowType":"HelloSequence","input":{"n":"\u0000"}}""", """{"workflowType":""}""",
        ];
        foreach (var action in actions)
        {
            var id = Fresh();
            yield return HostileRequest.Text("schedules:action", "POST", $"/api/schedules/{id}", ScheduleBody(Every, action, "{}", paused: "true"), false, Watched.Schedule(id));
            yield return HostileRequest.Text("schedules:action", "PUT", $"/api/schedules/{schedule}", ScheduleBody(Every, action, "{}"), false, ScheduleWatch);
        }

        string[] policies =
        [
            """{"overlap":"Bogus"}""", """{"overlap":3}""", """{"overlap":null}""", """{"catchupWindow":"00:00:01"}""", """{"catchupWindow":"-00:00:10"}""",
            """{"catchupWindow":"10675199.00:00:00"}""", "[]",
        ];
        foreach (var policy in policies)
        {
            var id = Fresh();
            yield return HostileRequest.Text("schedules:policies", "POST", $"/api/schedules/{id}", ScheduleBody(Every, Action(), policy, paused: "true"), false, Watched.Schedule(id));
            yield return HostileRequest.Text("schedules:policies", "PUT", $"/api/schedules/{schedule}", ScheduleBody(Every, Action(), policy), false, ScheduleWatch);
        }

        foreach (var extra in new[] { "\"paused\":\"yes\"", "\"paused\":true,\"note\":5", "\"paused\":true,\"note\":\"" + new string('n', 100_000) + "\"", "\"paused\":true,\"extra\":1" })
        {
            var id = Fresh();
            var body = "{\"spec\":" + Every + ",\"action\":" + Action() + "," + extra + "}";
            yield return HostileRequest.Text("schedules:members", "POST", $"/api/schedules/{id}", body, false, Watched.Schedule(id));
        }

        string[] ranges =
        [
            """{"startAt":"x","endAt":"y"}""", """{"startAt":1,"endAt":2}""", """{"startAt":"2026-01-01T00:00:00Z"}""", """{"endAt":"2026-01-01T00:00:00Z"}""",
            """{"startAt":"2026-01-02T00:00:00Z","endAt":"2026-01-01T00:00:00Z"}""", """{"startAt":"2026-01-01T00:00:00Z","endAt":"2026-01-01T00:00:00Z"}""",
            """{"startAt":"0001-01-01T00:00:00Z","endAt":"9999-12-31T23:59:59Z"}""", """{"startAt":"9999-12-31T00:00:00Z","endAt":"9999-12-31T23:59:59Z"}""",
            """{"startAt":"2026-01-01T00:00:00+14:00","endAt":"2026-01-01T00:00:00-12:00"}""", """{"startAt":"2026-01-01T00:00:00","endAt":"2026-01-02T00:00:00"}""",
            """{"startAt":"2026-01-01T00:00:00Z","endAt":"2026-01-01T01:00:00Z","overlap":"Bogus"}""", """{"startAt":"2026-01-01T00:00:00Z","endAt":"2026-01-01T01:00:00Z","overlap":9}""",
            """{"startAt":"2026-01-01T00:00:00Z","endAt":"2026-01-01T01:00:00Z","extra":true}""", "[]", "null", "{}",
        ];
        foreach (var range in ranges)
        {
            yield return HostileRequest.Text("schedules:backfill", "POST", $"/api/schedules/{schedule}/backfill", range, false, ScheduleWatch);
        }

        foreach (var query in new[] { "overlap=Bogus", "overlap=", "overlap=%00", "overlap=9" })
        {
            // An empty value means "the schedule's policy", as an absent one does.
            yield return HostileRequest.Text("schedules:trigger", "POST", $"/api/schedules/{schedule}/trigger?{query}", null, query != "overlap=", ScheduleWatch);
        }

        foreach (var ifMatch in new[] { "garbage", "\"\"", "W/\"x\"", "\"a\", \"b\"" })
        {
            yield return new HostileRequest(
                "schedules:if-match", "PUT", $"/api/schedules/{schedule}", Encoding.UTF8.GetBytes(ScheduleDefinition()), MustRefuse: true, ScheduleWatch, ["If-Match: " + ifMatch]);
        }

        yield return HostileRequest.Text("schedules:note", "POST", $"/api/schedules/{schedule}/pause?note={new string('n', 5_000)}", null, false, ScheduleWatch);
        yield return HostileRequest.Text("schedules:note", "POST", $"/api/schedules/{schedule}/pause?note=%E2%80%A8%00", null, false, ScheduleWatch);
    }

    /// <summary>Every method that no route takes, on every route template: all must be a 405 problem.</summary>
    public IEnumerable<HostileRequest> WrongMethods(IEnumerable<(string Method, string Template)> routes)
    {
        string[] methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"];
        var taken = routes.ToList();
        foreach (var template in taken.Select(r => r.Template).Distinct())
        {
            var target = "/api/" + template
                .Replace("{type}", "LoanApprovalWorkflow", StringComparison.Ordinal)
                .Replace("{name}", "decide", StringComparison.Ordinal)
                .Replace("{id}", template.StartsWith("schedules", StringComparison.Ordinal) ? HostileIds.Encode(Schedule) : HostileIds.Encode(Idle), StringComparison.Ordinal);
            var watch = template.StartsWith("schedules/", StringComparison.Ordinal) ? ScheduleWatch : template.StartsWith("workflows/{id}", StringComparison.Ordinal) ? IdleWatch : null;
            foreach (var method in methods.Where(m => !taken.Contains((m, template))))
            {
                yield return HostileRequest.Text("methods", method, target, method is "GET" or "DELETE" or "OPTIONS" ? null : "{}", true, watch);
            }
        }
    }

    /// <summary>OData and filter injection in list and purge filters, and out-of-range paging: never another's data, never a 5xx.</summary>
    public IEnumerable<HostileRequest> Filters()
    {
        string[] injections =
        [
            "' or 'a' eq 'a", "x' or PartitionKey ne '", "') or (1 eq 1", "\" or \"\"=\"", "%27%20or%20true%20or%20%27", "*", "%", "_", "\\", "' and RowKey gt '",
            "%00", "%E2%80%A8", "%ED%A0%80", "%FF", new string('q', 3_000),
        ];
        foreach (var injection in injections)
        {
            var value = injection.Contains('%', StringComparison.Ordinal) ? injection : Uri.EscapeDataString(injection);
            foreach (var name in new[] { "type", "idPrefix", "status", "sa.ScheduledById", "sa.ScheduledById.ge", $"sa.{value}" })
            {
                yield return HostileRequest.Text("filters:list", "GET", $"/api/workflows?{name}={value}", null, false);
            }

            yield return HostileRequest.Text("filters:purge", "DELETE", $"/api/workflows?type={value}&max=10", null, false);
            yield return HostileRequest.Text("filters:purge", "DELETE", $"/api/workflows?idPrefix={value}&max=10", null, false);
            yield return HostileRequest.Text("filters:deadletters", "GET", $"/api/deadletters?queue={value}", null, false);
        }

        string[] paging =
        [
            "pageSize=0", "pageSize=-1", "pageSize=1001", "pageSize=abc", "pageSize=99999999999999999999", "pageSize=1.5", "continuationToken=garbage",
            "continuationToken=eyJ4IjoxfQ", "continuationToken=%00", "continuationToken=" + new string('A', 4_000), "startedAfter=notadate",
            "startedAfter=0001-01-01T00:00:00Z", "startedBefore=9999-12-31T23:59:59%2B14:00", "closedAfter=-1", "startedAfter=2026-01-01", "status=running&status=completed",
            "sa.ScheduledStartTime.ge=yesterday", "sa.ScheduledStartTime.gt=9999-12-31T23:59:59Z", "sa.Nope=1", "sa.=1", "sa..ge=1", "max=-1", "type=",
        ];
        foreach (var query in paging)
        {
            yield return HostileRequest.Text("filters:paging", "GET", $"/api/workflows?{query}", null, false);
            yield return HostileRequest.Text("filters:paging", "GET", $"/api/schedules?{query}", null, false);
            yield return HostileRequest.Text("filters:paging", "GET", $"/api/deadletters?{query}", null, false);
            yield return HostileRequest.Text("filters:paging", "DELETE", $"/api/workflows?idPrefix={Stem}nothing-&{query}", null, false);
        }
    }

    /// <summary>Tricks in query parameters: waits, task queues, reasons, flags and repeated parameters.</summary>
    public IEnumerable<HostileRequest> QueryParameters()
    {
        var idle = HostileIds.Encode(Idle);
        foreach (var wait in new[] { "-1", "NaN", "Infinity", "-Infinity", "1e309", "abc", "0x10", "%00", "", "1,5" })
        {
            yield return HostileRequest.Text("params:wait", "GET", $"/api/workflows/{idle}/result?wait={wait}", null, false);
            yield return HostileRequest.Text("params:wait", "POST", $"/api/workflows/{idle}/updates/set-amount?wait={wait}&updateId={Fresh()}", "0", false, IdleWatch);
        }

        foreach (var queue in new[] { "UPPER", "a--b", new string('q', 33), "-a", "a-", "", "%C3%A9", "a%2Fb", "default%00" })
        {
            var id = Fresh();
            yield return HostileRequest.Text("params:taskQueue", "POST", $"/api/workflows/HelloSequence?id={id}&taskQueue={queue}", Hello, queue.Length > 0, Watched.Workflow(id));
        }

        foreach (var envelope in new[] { "maybe", "1", "TRUE", "" })
        {
            var id = Fresh();
            yield return HostileRequest.Text("params:envelope", "POST", $"/api/workflows/HelloSequence?id={id}&taskQueue={IdleTaskQueue}&envelope={envelope}", Hello, false, Watched.Workflow(id));
        }

        // A start delay is seconds from 0 to a year, as wait is seconds: anything else starts nothing; empty means none.
        foreach (var delay in new[] { "-1", "-0.001", "31536000.001", "1e12", "NaN", "Infinity", "1e309", "abc", "0x10", "PT5M", "1,5", "%00", "" })
        {
            var id = Fresh();
            yield return HostileRequest.Text(
                "params:startDelay", "POST", $"/api/workflows/HelloSequence?id={id}&taskQueue={IdleTaskQueue}&startDelay={delay}", Hello, delay.Length > 0, Watched.Workflow(id));
            var signalled = Fresh();
            yield return HostileRequest.Text(
                "params:startDelay", "POST", $"/api/workflows/LoanApprovalWorkflow/signal-with-start/decide?id={signalled}&taskQueue={IdleTaskQueue}&startDelay={delay}", Decision,
                delay.Length > 0, Watched.Workflow(signalled));
        }

        var twice = Fresh();
        yield return HostileRequest.Text("params:repeated", "POST", $"/api/workflows/HelloSequence?id={twice}&id={Fresh()}&taskQueue={IdleTaskQueue}", Hello, false, Watched.Workflow(twice));
        yield return HostileRequest.Text("params:repeated", "POST", $"/api/workflows/{idle}/signals/decide?requestId=a&requestId=b", Decision, false, IdleWatch);
        yield return HostileRequest.Text("params:reason", "POST", $"/api/workflows/{idle}/suspend?reason={new string('r', 1_001)}", null, true, IdleWatch);
        yield return HostileRequest.Text("params:reason", "POST", $"/api/workflows/{Fresh()}/terminate?reason={new string('r', 4_000)}", null, true);
        yield return HostileRequest.Text("params:reason", "POST", $"/api/workflows/{Fresh()}/cancel?reason=%E2%80%A8", null, true);
        yield return HostileRequest.Text("params:missing-id", "POST", "/api/workflows/LoanApprovalWorkflow/signal-with-start/decide", Decision, true);
        yield return HostileRequest.Text("params:unknown-type", "POST", $"/api/workflows/NoSuchWorkflow?id={Fresh()}", Hello, true);
        yield return HostileRequest.Text("params:unknown-signal", "POST", $"/api/workflows/{idle}/signals/nope", Decision, true, IdleWatch);
        yield return HostileRequest.Text("params:unknown-update", "POST", $"/api/workflows/{idle}/updates/nope?wait=0", "1", true, IdleWatch);
        yield return HostileRequest.Text("params:unknown-query", "GET", $"/api/workflows/{idle}/queries/nope", null, true, IdleWatch);
        yield return HostileRequest.Text("params:rejected-update", "POST", $"/api/workflows/{idle}/updates/set-amount?wait=0", "-5", true, IdleWatch);
    }

    /// <summary>A fresh valid ID, unique in this corpus.</summary>
    public string Fresh() => Stem + "f" + Next();

    private static string Hello => """{"count":0,"delayMs":0}""";

    private static string Decision => """{"approved":true,"reviewer":"eve"}""";

    private static string Every => """{"intervals":[{"every":"1.00:00:00"}]}""";

    private static string Action(string? taskQueue = null) =>
        "{\"workflowType\":\"HelloSequence\",\"input\":" + Hello + (taskQueue is null ? "" : ",\"taskQueue\":\"" + taskQueue + "\"") + "}";

    private static string ScheduleBody(string spec, string action, string policies, string? paused = null) =>
        "{\"spec\":" + spec + ",\"action\":" + action + ",\"policies\":" + policies + (paused is null ? "" : ",\"paused\":" + paused) + "}";

    private static string ScheduleDefinition(bool paused = false, string? taskQueue = null) =>
        ScheduleBody(Every, Action(taskQueue is null ? null : Uri.UnescapeDataString(taskQueue)), "{}", paused ? "true" : null);

    private static string Nest(int depth, string inner) => new string('[', depth) + inner + new string(']', depth);

    private IEnumerable<(string Method, string Target, Watched? Watch)> BodyRoutes()
    {
        var idle = HostileIds.Encode(Idle);
        var schedule = HostileIds.Encode(Schedule);
        var start = Fresh();
        var signalWithStart = Fresh();
        var created = Fresh();
        return
        [
            ("POST", $"/api/workflows/HelloSequence?id={start}", Watched.Workflow(start)),
            ("POST", $"/api/workflows/HelloSequence?id={start}&envelope=true", Watched.Workflow(start)),
            ("POST", $"/api/workflows/LoanApprovalWorkflow/signal-with-start/decide?id={signalWithStart}", Watched.Workflow(signalWithStart)),
            ("POST", $"/api/workflows/{idle}/signals/decide", IdleWatch),
            ("POST", $"/api/workflows/{idle}/queries/status", IdleWatch),
            ("POST", $"/api/workflows/{idle}/updates/set-amount?wait=0", IdleWatch),
            ("POST", $"/api/schedules/{created}", Watched.Schedule(created)),
            ("PUT", $"/api/schedules/{schedule}", ScheduleWatch),
            ("POST", $"/api/schedules/{schedule}/backfill", ScheduleWatch),
        ];
    }

    private static IEnumerable<(string Label, byte[] Body)> BadBodies()
    {
        static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
        yield return ("unclosed object", Utf8("{"));
        yield return ("unclosed member", Utf8("{\"a\":"));
        yield return ("unclosed array", Utf8("[1,2"));
        yield return ("bare word", Utf8("nul"));
        yield return ("single quotes", Utf8("{'a':1}"));
        yield return ("trailing garbage", Utf8("{\"a\":1}}"));
        yield return ("trailing comma", Utf8("{\"a\":1,}"));
        yield return ("comment", Utf8("/* x */ {\"a\":1}"));
        yield return ("truncated string", Utf8("{\"applicantId\":\"ann"));
        yield return ("truncated escape", Utf8("\"\\u12"));
        yield return ("deep arrays", Utf8(Nest(100_000, "")));
        yield return ("deep objects", Utf8(string.Concat(Enumerable.Repeat("{\"a\":", 1_000)) + "1" + new string('}', 1_000)));
        yield return ("over 2 MB", Utf8("\"" + new string('x', (2 * 1024 * 1024) + 1) + "\""));
        yield return ("invalid UTF-8 byte", [(byte)'"', 0xFF, (byte)'"']);
        yield return ("overlong UTF-8", [(byte)'"', 0xC0, 0xAF, (byte)'"']);
        yield return ("UTF-8 surrogate", [(byte)'"', 0xED, 0xA0, 0x80, (byte)'"']);
        yield return ("truncated UTF-8", [(byte)'"', 0xE2, 0x80, (byte)'"']);
        yield return ("UTF-16 body", Encoding.Unicode.GetBytes("{\"a\":1}"));
        yield return ("lone high surrogate escape", Utf8("{\"a\":\"\\ud800\"}"));
        yield return ("lone low surrogate member", Utf8("{\"\\udc00\":1}"));
        yield return ("raw control in string", Utf8("\"a\u0001b\""));
        yield return ("NaN", Utf8("NaN"));
    }

    private int Next() => Interlocked.Increment(ref counter);
}
