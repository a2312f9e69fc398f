using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.ExceptionServices;

namespace ServerlessFlow.Engine.Execution;

/// <summary>
/// The threads workflow code runs on (<see cref="WorkflowScheduler.RunUntilIdle"/>). Not pool threads: the caller waits for
/// the code, and many workflow tasks at once would starve the pool. Kept for reuse rather than started per run: starting an
/// OS thread cost more CPU than the workflow step it ran, and the waiting caller made the pool inject threads of its own.
/// A thread whose code blocks past the limit is given up (it ends if the code ever returns), never reused.
/// </summary>
internal sealed class WorkflowCodeThreads
{
    /// <summary>Idle threads kept at most: enough for every workflow-task slot of a busy worker; a burst's extra threads end.</summary>
    private const int MaxIdle = 64;

    private readonly ConcurrentStack<CodeThread> idle = new();

    /// <summary>The threads every workflow of the process runs on.</summary>
    public static WorkflowCodeThreads Shared { get; } = new();

    /// <summary>
    /// Runs <paramref name="work"/> on a workflow thread, in the caller's execution context, and waits for it. False when it
    /// ran for longer than <paramref name="limit"/> (counted from its start, so a busy machine is not taken for blocked code):
    /// the thread is then given up and the work left running. An exception of the work is thrown here.
    /// </summary>
    public bool Run(Action work, TimeSpan limit)
    {
        if (!idle.TryPop(out var thread))
        {
            thread = new CodeThread();
        }

        thread.Post(work, ExecutionContext.Capture());
        if (!thread.WaitDone(limit))
        {
            thread.GiveUp();
            return false;
        }

        var failure = thread.TakeFailure();
        if (idle.Count < MaxIdle)
        {
            idle.Push(thread);
        }
        else
        {
            thread.End();
        }

        failure?.Throw();
        return true;
    }

    /// <summary>One dedicated thread that runs posted work, one item at a time, until ended or given up.</summary>
    [SuppressMessage("Design", "CA1001", Justification = "Its events are never waited on through a WaitHandle, so they hold no kernel handle; a thread given up may still set them.")]
    private sealed class CodeThread
    {
        private readonly ManualResetEventSlim posted = new();
        private readonly ManualResetEventSlim done = new();
        private Action? work;
        private ExecutionContext? context;
        private ExceptionDispatchInfo? failure;
        private long startedAt;
        private volatile bool ending;

        public CodeThread() => new Thread(Loop) { IsBackground = true, Name = "ServerlessFlow workflow code" }.Start();

        public void Post(Action next, ExecutionContext? callerContext)
        {
            work = next;
            context = callerContext;
            Volatile.Write(ref startedAt, 0);
            done.Reset();
            posted.Set();
        }

        public bool WaitDone(TimeSpan limit)
        {
            while (true)
            {
                var started = Volatile.Read(ref startedAt);
                var left = started == 0 ? limit : limit - Stopwatch.GetElapsedTime(started);
                if (left <= TimeSpan.Zero)
                {
                    return done.IsSet;
                }

                if (done.Wait(left))
                {
                    return true;
                }
            }
        }

        public ExceptionDispatchInfo? TakeFailure()
        {
            var taken = failure;
            failure = null;
            return taken;
        }

        /// <summary>The work blocked: the thread ends when (if ever) it returns, and is not reused.</summary>
        public void GiveUp() => End();

        /// <summary>Ends the thread once its current work (if any) returns.</summary>
        public void End()
        {
            ending = true;
            posted.Set();
        }

        private void Loop()
        {
            while (true)
            {
                posted.Wait();
                posted.Reset();
                if (work is not { } next)
                {
                    return; // Ended while idle.
                }

                Volatile.Write(ref startedAt, Stopwatch.GetTimestamp());
                try
                {
                    if (context is { } flowed)
                    {
                        ExecutionContext.Run(flowed, static state => ((Action)state!)(), next);
                    }
                    else
                    {
                        next();
                    }
                }
                catch (Exception e)
                {
                    failure = ExceptionDispatchInfo.Capture(e);
                }

                work = null;
                context = null;
                done.Set();
                if (ending)
                {
                    return;
                }
            }
        }
    }
}
