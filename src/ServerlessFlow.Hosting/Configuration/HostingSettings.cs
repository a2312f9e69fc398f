using System.Globalization;
using Microsoft.Extensions.Configuration;
using ServerlessFlow.AzureStorage;
using ServerlessFlow.Engine;
using ServerlessFlow.Engine.Backend;

namespace ServerlessFlow.Hosting.Configuration;

/// <summary>Everything the hosting library reads from configuration, validated at start-up so that a bad setting fails fast and by name.</summary>
/// <param name="TaskQueues">The task queues this process serves.</param>
/// <param name="Prefix">The storage name prefix.</param>
/// <param name="Storage">The Azure backend options, or null when no connection is configured.</param>
/// <param name="Bindings">The queues the host's queue triggers bind to.</param>
internal sealed record HostingSettings(IReadOnlyList<string> TaskQueues, string Prefix, AzureStorageOptions? Storage, TaskQueueBindings Bindings)
{
    /// <summary>Most workflow tasks the polling worker runs at once; null keeps the engine's default.</summary>
    public int? MaxConcurrentWorkflowTasks { get; init; }

    /// <summary>Most activity attempts the polling worker runs at once; null keeps the engine's default.</summary>
    public int? MaxConcurrentActivities { get; init; }

    /// <summary>Longest retention the setting takes: a century, far inside what a <see cref="TimeSpan"/> holds (about 10.7 million days).</summary>
    public const int MaxRetentionDays = 36_500;

    /// <summary>Days closed workflows are kept before retention purges them (1 to <see cref="MaxRetentionDays"/>); null keeps the engine's default (30 days).</summary>
    public int? RetentionDays { get; init; }

    /// <summary>Reads and validates the settings.</summary>
    /// <exception cref="InvalidOperationException">A setting is invalid; the message names it and the fix.</exception>
    public static HostingSettings Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var prefix = configuration[HostingSettingNames.StoragePrefix] is { Length: > 0 } p ? p : AzureStorageOptions.DefaultPrefix;
        try
        {
            AzureStorageOptions.ValidatePrefix(prefix);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"Setting {HostingSettingNames.StoragePrefix}: {e.Message}", e);
        }

        var taskQueues = ReadTaskQueues(configuration[HostingSettingNames.TaskQueues]);
        var bindings = new TaskQueueBindings(
            WorkflowQueue: Logical(configuration, HostingSettingNames.WorkflowQueue, prefix, QueueNames.Workflow(taskQueues[0])),
            ActivityQueue: Logical(configuration, HostingSettingNames.ActivityQueue, prefix, QueueNames.Activity(taskQueues[0])));
        var codec = PayloadCodecSettings.Read(configuration); // Validated even without storage: a bad key fails at start-up wherever it is set.
        var storage = StorageConnection.Read(configuration, prefix) is { } connection ? connection with { PayloadCodec = codec } : null;
        return new HostingSettings(taskQueues, prefix, storage, bindings)
        {
            MaxConcurrentWorkflowTasks = ReadLimit(configuration, HostingSettingNames.MaxConcurrentWorkflowTasks),
            MaxConcurrentActivities = ReadLimit(configuration, HostingSettingNames.MaxConcurrentActivities),
            RetentionDays = ReadRetentionDays(configuration),
        };
    }

    /// <summary>Applies the worker settings that are set to <paramref name="options"/>, keeping the engine's defaults for the rest.</summary>
    public WorkerOptions ApplyTo(WorkerOptions options) => options with
    {
        TaskQueues = TaskQueues,
        MaxConcurrentWorkflowTasks = MaxConcurrentWorkflowTasks ?? options.MaxConcurrentWorkflowTasks,
        MaxConcurrentActivities = MaxConcurrentActivities ?? options.MaxConcurrentActivities,
        Retention = RetentionDays is { } days ? TimeSpan.FromDays(days) : options.Retention,
    };

    private static int? ReadLimit(IConfiguration configuration, string setting)
    {
        if (configuration[setting] is not { Length: > 0 } text)
        {
            return null;
        }

        return int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit >= 1
            ? limit
            : throw new InvalidOperationException($"Setting {setting} is '{text}'; give a whole number from 1 (how many run at once in this process), or remove it for the default.");
    }

    private static int? ReadRetentionDays(IConfiguration configuration)
    {
        const string setting = HostingSettingNames.RetentionDays;
        if (configuration[setting] is not { Length: > 0 } text)
        {
            return null;
        }

        return int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var days) && days <= MaxRetentionDays
            ? days == 0 ? null : days
            : throw new InvalidOperationException(
                $"Setting {setting} is '{text}'; give the whole number of days closed workflows are kept (1 to {MaxRetentionDays}), or 0 or nothing for the default of 30.");
    }

    private static List<string> ReadTaskQueues(string? text)
    {
        var names = (text ?? QueueNames.DefaultTaskQueue).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (names.Length == 0)
        {
            throw new InvalidOperationException($"Setting {HostingSettingNames.TaskQueues} is empty; name at least one task queue, e.g. 'default'.");
        }

        try
        {
            return names.Select(QueueNames.Validate).Distinct(StringComparer.Ordinal).ToList();
        }
        catch (InvalidWorkflowRequestException e)
        {
            throw new InvalidOperationException($"Setting {HostingSettingNames.TaskQueues} is '{text}': {e.Message}", e);
        }
    }

    /// <summary>
    /// The logical queue behind the physical queue named by <paramref name="setting"/>. The backend names
    /// a logical queue <c>{prefix}-{logical}</c>; the setting must name one of that form and kind.
    /// </summary>
    private static string Logical(IConfiguration configuration, string setting, string prefix, string fallback)
    {
        if (configuration[setting] is not { Length: > 0 } physical)
        {
            return fallback;
        }

        var kind = fallback[..(fallback.IndexOf('-', StringComparison.Ordinal) + 1)];
        var expectedStart = prefix + "-" + kind;
        if (physical.StartsWith(expectedStart, StringComparison.Ordinal))
        {
            try
            {
                QueueNames.Validate(physical[expectedStart.Length..]);
                return physical[(prefix.Length + 1)..];
            }
            catch (InvalidWorkflowRequestException)
            {
                // Reported below with the expected form.
            }
        }

        throw new InvalidOperationException(
            $"Setting {setting} is '{physical}', which is not a queue of this app: with prefix '{prefix}' it must be '{expectedStart}{{taskQueue}}', e.g. '{prefix}-{fallback}'.");
    }
}

/// <summary>The logical queues (see <see cref="QueueNames"/>) behind the queues a host's triggers bind to.</summary>
/// <param name="WorkflowQueue">Logical name of the workflow-task queue, e.g. <c>wf-default</c>.</param>
/// <param name="ActivityQueue">Logical name of the activity-task queue, e.g. <c>act-default</c>.</param>
internal sealed record TaskQueueBindings(string WorkflowQueue, string ActivityQueue);
