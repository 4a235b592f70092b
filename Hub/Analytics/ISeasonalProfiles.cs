namespace Hub.Analytics;

/// <summary>Learned seasonal profiles by series, kept across restarts (the profile-learning job writes, the rules read).</summary>
internal interface ISeasonalProfiles
{
    /// <summary>The latest profile of <paramref name="series"/>, or null when none was learned.</summary>
    SeasonalProfile? Find(string series);

    /// <summary>Stores <paramref name="profile"/>, replacing the series' previous one.</summary>
    void Save(SeasonalProfile profile);
}
