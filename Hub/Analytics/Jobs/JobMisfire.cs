namespace Hub.Analytics.Jobs;

/// <summary>What a job does about the runs its schedule missed while the hub was down (<c>misfire =</c>).</summary>
internal enum JobMisfire
{
    /// <summary><c>run_once</c> (default): one catch-up run at start, however many runs were missed; then the schedule goes on.</summary>
    RunOnce,

    /// <summary><c>skip</c>: the missed runs are dropped; the next run is the schedule's next time after now.</summary>
    Skip,
}
