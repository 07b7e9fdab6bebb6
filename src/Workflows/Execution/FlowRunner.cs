using System.Diagnostics;
using System.Runtime.CompilerServices;
using Integration.Workflows.Activities;
using Integration.Workflows.Model;
using ActivityContext = Integration.Workflows.Activities.ActivityContext;

namespace Integration.Workflows.Execution;

/// <summary>
/// Runs flows in memory with Elsa's flowchart semantics: the start activity (Elsa.Start, else the first that may start
/// the workflow, else the one with no inbound connection, else the first), outcomes followed along connections from
/// their ports, an activity reached again runs again (implicit loops), FlowJoin waits for any or all of its inbound
/// branches, Finish ends everything. A throwing activity becomes an incident; by default the flow is then faulted.
/// </summary>
public sealed class FlowRunner(FlowServices services)
{
    private static readonly ConditionalWeakTable<FlowActivityNode, FlowchartIndex> Indexes = [];

    /// <summary>The outcome an activity reports a handled failure by (a mapping that does not map): the flow must connect it.</summary>
    private const string FailedOutcome = "Failed";

    /// <summary>Runs a flow from its start activity, or from <paramref name="triggerActivityId"/> (the trigger that fired).</summary>
    public Task<FlowRunState> RunAsync(
        FlowDefinition definition, IReadOnlyDictionary<string, object?>? input = null, string? triggerActivityId = null, FlowCheckpoint? checkpoint = null,
        CancellationToken cancellationToken = default) =>
        RunAsync(definition, new FlowRunState { Input = input is null ? new(StringComparer.Ordinal) : new(input, StringComparer.Ordinal) }, triggerActivityId, checkpoint, cancellationToken);

    /// <summary>Runs a flow from its start into a state prepared by the caller (its instance id, correlation id and input).</summary>
    public async Task<FlowRunState> RunAsync(
        FlowDefinition definition, FlowRunState state, string? triggerActivityId, FlowCheckpoint? checkpoint, CancellationToken cancellationToken)
    {
        state.Status = FlowRunStatus.Running;
        foreach (var variable in definition.Variables)
        {
            state.Variables[variable.Name] = VariableValue.Initial(variable);
        }

        using var run = new FlowRun(definition, state, services, cancellationToken, checkpoint);
        if (triggerActivityId is not null && definition.Root.Type == "Elsa.Flowchart")
        {
            await RunFlowchartAsync(run, definition.Root, resumedFrom: null, startAt: triggerActivityId);
        }
        else if (await RunNodeAsync(run, definition.Root) is { Bookmark: { } bookmark } && definition.Root.Type != "Elsa.Flowchart")
        {
            state.Bookmarks.Add(bookmark);
        }

        Settle(run);
        return state;
    }

    /// <summary>
    /// Continues a suspended run from a bookmark: the bookmarked activity completes with <c>Done</c>, and each container
    /// around it (a Sequence, an If or Switch, a ForEach or While from the position the bookmark carries, a flowchart)
    /// goes on from there, innermost first, as if it had never stopped.
    /// </summary>
    public async Task<FlowRunState> ResumeAsync(
        FlowDefinition definition, FlowRunState state, Bookmark bookmark, FlowCheckpoint? checkpoint = null, CancellationToken cancellationToken = default)
    {
        state.Bookmarks.Remove(bookmark);
        state.Status = FlowRunStatus.Running;
        using var run = new FlowRun(definition, state, services, cancellationToken, checkpoint);
        var path = PathTo(definition.Root, bookmark.ActivityId)
            ?? throw new InvalidOperationException($"Activity {bookmark.ActivityId} is not in {definition.DefinitionId}");
        if (bookmark.Payload is { } payload && bookmark.Name.StartsWith("Event:", StringComparison.Ordinal))
        {
            // The event's payload is what the waiting Elsa.Event produces.
            new ActivityContext(run, this, path[^1]).SetOutput("result", System.Text.Json.Nodes.JsonNode.Parse(payload));
        }

        await GoOnOutwardAsync(run, path, path.Count - 2, ActivityResult.Done, bookmark, state.Incidents.Count);
        Settle(run);
        return state;
    }

    // Each container of the path from index from outward goes on after its child ended with result, innermost first, as
    // if nothing had stopped there; position carries the items the loops were at. Incidents raised from incidents on keep
    // those positions (for their own retry), and a new bookmark keeps the positions of the loops it did not go through.
    private async Task GoOnOutwardAsync(FlowRun run, List<FlowActivityNode> path, int from, ActivityResult result, Bookmark position, int incidents)
    {
        var state = run.State;
        for (var i = from; i >= 0 && result.Bookmark is null && !result.CompletesWorkflow && state.Status == FlowRunStatus.Running; i--)
        {
            try
            {
                result = await ContinueInAsync(run, path[i], path[i + 1], result, position);
            }
            catch (InvalidOperationException ex)
            {
                state.Incidents.Add(new Incident(path[i].Id, path[i].Type, ex.Message, ex.GetType().Name, 1, Transient: TransientFailures.Is(ex)));
                state.Status = FlowRunStatus.Faulted;
            }
        }

        foreach (var (loopId, index) in position.Loops ?? new Dictionary<string, int>())
        {
            Activities.BuiltIn.LoopBody.AtPosition(state, incidents, loopId, index);
        }

        if (result.Bookmark is { } again && !state.Bookmarks.Contains(again))
        {
            var loops = (position.Loops ?? new Dictionary<string, int>()).Where(p => again.Loops?.ContainsKey(p.Key) != true)
                .Concat(again.Loops ?? new Dictionary<string, int>()).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
            state.Bookmarks.Add(loops.Count == 0 ? again : again with { Loops = loops });
        }
    }

    // A container goes on after its child ended with a result.
    private async ValueTask<ActivityResult> ContinueInAsync(FlowRun run, FlowActivityNode container, FlowActivityNode child, ActivityResult result, Bookmark bookmark)
    {
        if (result.Bookmark is null && container.Type is "Elsa.ForEach" or "Elsa.While")
        {
            if (result.IsBreak)
            {
                return ActivityResult.Done;
            }

            var loop = new ActivityContext(run, this, container);
            return container.Type == "Elsa.ForEach"
                ? await Activities.BuiltIn.ForEachActivity.RunFromAsync(loop, (bookmark.Loops?.GetValueOrDefault(container.Id) ?? throw new InvalidOperationException(
                    $"The bookmark in {container.Type} '{container.Id}' does not say which item it waited in")) + 1)
                : services.Activities.TryGet("Elsa.While", out var whileLoop) ? await whileLoop.ExecuteAsync(loop) : ActivityResult.Done;
        }

        switch (container.Type)
        {
            case "Elsa.Flowchart":
                return await RunFlowchartAsync(run, container, resumedFrom: child.Id, resumedWith: result);
            case "Elsa.Sequence":
                if (result.IsBreak)
                {
                    return result;
                }

                foreach (var next in container.Children.SkipWhile(c => c.Id != child.Id).Skip(1))
                {
                    var outcome = await RunNodeAsync(run, next);
                    if (outcome.Interrupts || run.State.Status != FlowRunStatus.Running)
                    {
                        return outcome;
                    }
                }

                return ActivityResult.Done;
            default:
                // If, Switch, SendHttpRequest...: the embedded activity was their last step.
                return result.IsBreak ? result : ActivityResult.Done;
        }
    }

    private static List<FlowActivityNode>? PathTo(FlowActivityNode node, string activityId)
    {
        if (node.Id == activityId)
        {
            return [node];
        }

        foreach (var child in node.Children.Concat(node.Embedded.Values))
        {
            if (PathTo(child, activityId) is { } path)
            {
                path.Insert(0, node);
                return path;
            }
        }

        return null;
    }

    /// <summary>Goes on with a run taken over in flight, from its <see cref="FlowRunState.Resume"/> point.</summary>
    public async Task<FlowRunState> ContinueAsync(FlowDefinition definition, FlowRunState state, FlowCheckpoint? checkpoint = null, CancellationToken cancellationToken = default)
    {
        var resume = state.Resume ?? throw new InvalidOperationException($"Run {state.InstanceId} has no resume point");
        state.Status = FlowRunStatus.Running;
        using var run = new FlowRun(definition, state, services, cancellationToken, checkpoint);
        await RunFlowchartAsync(run, definition.Root, resumedFrom: null, resume: resume);
        Settle(run);
        return state;
    }

    /// <summary>
    /// Runs a faulted run again from the activity that failed (a retry of its incident), or from the earlier activity its
    /// <c>customProperties.retryFrom</c> names: one that writes what an earlier step read (stock, a product) reads it
    /// again, so a late retry never writes what was true before the failure over what is true now. Then each container
    /// around it goes on as if it had not failed: a Sequence with its next activity, a ForEach with the item after the
    /// one the incident failed in (<paramref name="loops"/>), a flowchart along the activity's outcome. A flow that goes
    /// on with incidents went on past this one when it ran: only the failed activity runs again (and what follows it in
    /// its flowchart), for the loop items it failed in.
    /// </summary>
    public async Task<FlowRunState> RetryAsync(
        FlowDefinition definition, FlowRunState state, string activityId, IReadOnlyDictionary<string, int>? loops = null, CancellationToken cancellationToken = default)
    {
        var path = PathTo(definition.Root, activityId)
            ?? throw new InvalidOperationException($"Activity {activityId} is not in {definition.DefinitionId}");
        // Refused before anything runs: without the item it failed in, a retry would run a loop's items again from the first.
        if (path.Take(path.Count - 1).FirstOrDefault(n => n.Type == "Elsa.ForEach" && loops?.ContainsKey(n.Id) != true) is { } unplaced)
        {
            throw new IncidentNotRetriableException(
                $"The incident does not say which item of {unplaced.Type} '{unplaced.Id}' it failed in (it was raised before the host kept that): cancel it and start the flow again for that item");
        }

        state.Status = FlowRunStatus.Running;
        using var run = new FlowRun(definition, state, services, cancellationToken);
        var continues = ContinuesWithIncidents(definition);
        if (continues)
        {
            foreach (var loop in path.Take(path.Count - 1).Where(n => n.Type == "Elsa.ForEach"))
            {
                bool found;
                try
                {
                    found = Activities.BuiltIn.ForEachActivity.SetCurrentAt(new ActivityContext(run, this, loop), loops![loop.Id]);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    throw new InvalidOperationException($"The items of {loop.Type} '{loop.Id}' could not be read again: {ex.Message}", ex);
                }

                if (!found)
                {
                    throw new IncidentNotRetriableException(
                        $"{loop.Type} '{loop.Id}' has no item {loops[loop.Id]} any more (its items changed since the failure): cancel the incident and start the flow again");
                }
            }
        }

        var incidents = state.Incidents.Count;
        ActivityResult result;
        int next;
        if (path.Count > 1 && path[^2].Type == "Elsa.Flowchart")
        {
            result = await RunFlowchartAsync(run, path[^2], resumedFrom: null, startAt: RetryPoint.Of(path[^1]) ?? activityId);
            next = path.Count - 3;
        }
        else
        {
            result = await RunNodeAsync(run, path[^1]);
            next = path.Count - 2;
        }

        // A flow that goes on with incidents went on past this one already: no container goes on again.
        await GoOnOutwardAsync(run, path, continues ? -1 : next, result, new Bookmark(activityId, "Retry", Loops: loops), incidents);
        Settle(run);
        return state;
    }

    internal async ValueTask<ActivityResult> RunNodeAsync(FlowRun run, FlowActivityNode node)
    {
        if (node.Type == "Elsa.Flowchart")
        {
            return await RunFlowchartAsync(run, node, resumedFrom: null);
        }

        run.CancellationToken.ThrowIfCancellationRequested();
        if (!services.Activities.TryGet(node.Type, out var activity))
        {
            throw new InvalidOperationException($"Unknown activity type {node.Type}");
        }

        var started = Stopwatch.GetTimestamp();
        var attempts = 0;
        // What the activity was given and produced is kept while the journal has room (a long loop stops recording).
        var record = run.State.Journal.Count < run.State.JournalLimit;
        ActivityContext? context = null;
        var notes = ActivityNotes.Begin();
        try
        {
            ActivityResult result;
            if (ActivityRetryPolicy.For(node, services.Time) is { } retries)
            {
                result = await retries.ExecuteAsync(
                    async _ =>
                    {
                        attempts++;
                        context = new ActivityContext(run, this, node, record);
                        return await activity.ExecuteAsync(context);
                    },
                    run.CancellationToken);
            }
            else
            {
                attempts = 1;
                context = new ActivityContext(run, this, node, record);
                result = await activity.ExecuteAsync(context);
            }

            var exclusions = record ? LogPersistence.Exclusions(run.Definition, node, services.DefaultLogPersistence) : null;
            Record(run.State, new JournalEntry(node.Id, node.Type, node.Name, result.Outcomes, Stopwatch.GetElapsedTime(started).TotalMicroseconds,
                Inputs: Logged(context?.RecordedInputs, exclusions?.Input), Outputs: context?.RecordedOutputs, Notes: ActivityNotes.Of(notes)));
            return result;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !run.CancellationToken.IsCancellationRequested)
        {
            var message = ex is Jint.Runtime.JavaScriptException js ? "JavaScript: " + js.Message : ex.Message;
            Record(run.State, new JournalEntry(node.Id, node.Type, node.Name, [], Stopwatch.GetElapsedTime(started).TotalMicroseconds, message, context?.RecordedInputs,
                Notes: ActivityNotes.Of(notes)));
            RaiseIncident(run, new Incident(node.Id, node.Type, message, ex.GetType().Name, Math.Max(1, attempts), context?.RecordedInputs, TransientFailures.Is(ex)));
            return ActivityResult.Failed;
        }
    }

    private static void RaiseIncident(FlowRun run, Incident incident)
    {
        run.State.Incidents.Add(incident);
        if (!ContinuesWithIncidents(run.Definition))
        {
            run.State.Status = FlowRunStatus.Faulted;
        }
    }

    private async ValueTask<ActivityResult> RunFlowchartAsync(
        FlowRun run, FlowActivityNode flowchart, string? resumedFrom, string? startAt = null, ResumePoint? resume = null, ActivityResult? resumedWith = null)
    {
        var index = Indexes.GetValue(flowchart, static f => new FlowchartIndex(f));
        var queue = new Queue<FlowActivityNode>();
        var arrivals = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        if (resume is not null)
        {
            foreach (var id in resume.Pending)
            {
                queue.Enqueue(index.Nodes[id]);
            }

            foreach (var (join, sources) in resume.Arrivals)
            {
                arrivals[join] = new HashSet<string>(sources, StringComparer.Ordinal);
            }
        }
        else if (resumedFrom is not null)
        {
            if (resumedWith?.IsBreak == true && !ReferenceEquals(flowchart, run.Definition.Root))
            {
                return ActivityResult.Break;
            }

            Follow(index, index.Nodes[resumedFrom], resumedWith ?? ActivityResult.Done, queue, arrivals);
        }
        else if ((startAt is not null && index.Nodes.TryGetValue(startAt, out var trigger) ? trigger : index.Start) is { } start)
        {
            queue.Enqueue(start);
        }

        ActivityResult? suspended = null;
        while (queue.Count > 0 && run.State.Status == FlowRunStatus.Running)
        {
            var node = queue.Dequeue();
            var atRoot = ReferenceEquals(flowchart, run.Definition.Root);
            if (atRoot && run.Checkpoint is { } before && CommitStrategy.Before(run.Definition, node))
            {
                // Committed with this activity still to run: a host that dies runs it again.
                run.State.Resume = ResumeAt([node, .. queue], arrivals);
                await before(run.State, run.CancellationToken);
            }

            var result = await RunNodeAsync(run, node);
            if (!result.IsFailure && result.Outcomes.Contains(FailedOutcome) && !index.Outgoing.ContainsKey((node.Id, FailedOutcome)))
            {
                // A failure the flow leaves unhandled would end the run as if it had succeeded, with nothing done and no one told.
                RaiseIncident(run, new Incident(node.Id, node.Type,
                    $"{node.Type} '{node.Id}' ended {FailedOutcome} and the flow connects nothing to that outcome (its outputs say why); connect it, e.g. to an Elsa.Fault that says what went wrong.",
                    "UnhandledFailedOutcome", 1, null, false));
                continue;
            }

            if (result.CompletesWorkflow || (result.IsBreak && !ReferenceEquals(flowchart, run.Definition.Root)))
            {
                return result;
            }

            if (result.Bookmark is { } bookmark)
            {
                // Only the outermost level records it: a nested flowchart's bookmark travels up (through loops that
                // add their position to it) and is recorded once.
                if (ReferenceEquals(flowchart, run.Definition.Root))
                {
                    run.State.Bookmarks.Add(bookmark);
                }

                suspended = result;
                continue;
            }

            Follow(index, node, result, queue, arrivals);
            if (atRoot && run.Checkpoint is { } checkpoint && run.State.Status == FlowRunStatus.Running
                && CommitStrategy.After(run.Definition, node, () => HasExternalEffect(node)))
            {
                // The activity (an effect, unless a strategy says otherwise) ended: store where the run goes on from first.
                run.State.Resume = ResumeAt(queue, arrivals);
                await checkpoint(run.State, run.CancellationToken);
            }
        }

        return suspended ?? ActivityResult.Done;
    }

    private static ResumePoint ResumeAt(IEnumerable<FlowActivityNode> pending, Dictionary<string, HashSet<string>> arrivals) =>
        new([.. pending.Select(n => n.Id)], arrivals.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal));

    private static void Follow(FlowchartIndex index, FlowActivityNode node, ActivityResult result, Queue<FlowActivityNode> queue, Dictionary<string, HashSet<string>> arrivals)
    {
        foreach (var outcome in result.Outcomes)
        {
            if (!index.Outgoing.TryGetValue((node.Id, outcome), out var targets))
            {
                continue;
            }

            foreach (var target in targets)
            {
                if (target.Type != "Elsa.FlowJoin")
                {
                    queue.Enqueue(target);
                    continue;
                }

                if (!arrivals.TryGetValue(target.Id, out var arrived))
                {
                    arrivals[target.Id] = arrived = new HashSet<string>(StringComparer.Ordinal);
                }

                var waitAny = string.Equals(Expressions.FlowExpression.From(target.Property("mode"))?.Value, "WaitAny", StringComparison.OrdinalIgnoreCase);
                arrived.Add(node.Id);
                if (waitAny ? arrived.Count == 1 : arrived.Count == index.InboundSources(target.Id))
                {
                    if (waitAny)
                    {
                        // As in Elsa: the first branch to arrive wins; work still pending on the others is cancelled.
                        var ancestors = index.Ancestors(target.Id);
                        var pending = queue.Where(n => !ancestors.Contains(n.Id)).ToList();
                        queue.Clear();
                        pending.ForEach(queue.Enqueue);
                    }

                    queue.Enqueue(target);
                }
            }
        }
    }

    // An activity with an external effect, or a container (Sequence, If, ForEach...) holding one.
    private bool HasExternalEffect(FlowActivityNode node) =>
        Effects.GetValue(node, n => new StrongBox<bool>(n.SelfAndDescendants().Any(d => services.Activities.TryGet(d.Type, out var a) && a.Descriptor.HasExternalEffect))).Value;

    private static readonly ConditionalWeakTable<FlowActivityNode, StrongBox<bool>> Effects = [];

    private static bool ContinuesWithIncidents(FlowDefinition definition) =>
        definition.Json["options"]?["incidentStrategyType"]?.ToString()?.Contains("Continue", StringComparison.OrdinalIgnoreCase) == true;

    private static void Record(FlowRunState state, JournalEntry entry)
    {
        if (state.Journal.Count >= state.JournalLimit)
        {
            state.JournalDropped++;
            return;
        }

        state.Journal.Add(entry);
    }

    // What a finished run no longer needs to resume: the outputs its flow leaves out of the journal. Decided from the
    // definition, so entries recorded before a suspension (read back from the database) are treated alike.
    private static void DropUnloggedOutputs(FlowRun run)
    {
        var journal = run.State.Journal;
        for (var i = 0; i < journal.Count; i++)
        {
            if (journal[i] is { Outputs.Count: > 0, Error: null } entry
                && LogPersistence.Exclusions(run.Definition, entry.ActivityId, run.Services.DefaultLogPersistence) is { } excluded
                && entry.Outputs.Keys.Any(excluded.Output))
            {
                var kept = entry.Outputs.Where(o => !excluded.Output(o.Key)).ToDictionary(StringComparer.Ordinal);
                journal[i] = entry with { Outputs = kept.Count > 0 ? kept : null };
            }
        }
    }

    // A run that goes well keeps only the inputs its flow logs; a failed activity keeps them all for its incident.
    private static Dictionary<string, object?>? Logged(Dictionary<string, object?>? inputs, Func<string, bool>? excluded) =>
        inputs is null || excluded is null ? inputs : inputs.Where(i => !excluded(i.Key)).ToDictionary(StringComparer.Ordinal) is { Count: > 0 } kept ? kept : null;

    private static void Settle(FlowRun run)
    {
        var state = run.State;
        state.Resume = null;
        if (state.Status == FlowRunStatus.Running)
        {
            state.Status = state.Bookmarks.Count > 0 ? FlowRunStatus.Suspended : FlowRunStatus.Finished;
        }

        if (state.Status == FlowRunStatus.Finished)
        {
            DropUnloggedOutputs(run);
        }

        Telemetry.FlowTelemetry.Settled(run.Definition.DefinitionId, state.Status.ToString(), run.StartedAt, run.Trace, state.InstanceId, state.CorrelationId);
    }

    // Per flowchart, built once: nodes by id, targets by (source, port), inbound counts and the start activity.
    private sealed class FlowchartIndex
    {
        private readonly Dictionary<string, int> _inboundSources;
        private readonly Dictionary<string, string[]> _sourcesOf;

        public FlowchartIndex(FlowActivityNode flowchart)
        {
            Nodes = flowchart.Children.ToDictionary(c => c.Id, StringComparer.Ordinal);
            Outgoing = flowchart.Connections
                .Where(c => Nodes.ContainsKey(c.TargetActivity))
                .GroupBy(c => (c.SourceActivity, c.SourcePort))
                .ToDictionary(g => g.Key, g => g.Select(c => Nodes[c.TargetActivity]).ToArray());
            _sourcesOf = flowchart.Connections.GroupBy(c => c.TargetActivity).ToDictionary(g => g.Key, g => g.Select(c => c.SourceActivity).Distinct().ToArray(), StringComparer.Ordinal);
            _inboundSources = _sourcesOf.ToDictionary(p => p.Key, p => p.Value.Length, StringComparer.Ordinal);
            var inbound = flowchart.Connections.Select(c => c.TargetActivity).ToHashSet(StringComparer.Ordinal);
            Start = flowchart.Children.FirstOrDefault(c => c.Type == "Elsa.Start")
                ?? flowchart.Children.FirstOrDefault(c => c.CanStartWorkflow)
                ?? (flowchart.Children.Where(c => !inbound.Contains(c.Id)).ToList() is { Count: 1 } roots ? roots[0] : null)
                ?? (flowchart.Children.Count > 0 ? flowchart.Children[0] : null);
        }

        public Dictionary<string, FlowActivityNode> Nodes { get; }

        public Dictionary<(string, string), FlowActivityNode[]> Outgoing { get; }

        public FlowActivityNode? Start { get; }

        public int InboundSources(string id) => _inboundSources.GetValueOrDefault(id);

        /// <summary>Activities from which <paramref name="id"/> can be reached.</summary>
        public HashSet<string> Ancestors(string id)
        {
            var found = new HashSet<string>(StringComparer.Ordinal);
            var work = new Stack<string>([id]);
            while (work.Count > 0)
            {
                var current = work.Pop();
                foreach (var source in _sourcesOf.GetValueOrDefault(current) ?? [])
                {
                    if (found.Add(source))
                    {
                        work.Push(source);
                    }
                }
            }

            return found;
        }
    }
}
