import PanelData

extension TreatmentTiming {
    /// The timing of a panel whose treatment may switch on and off (`--estimator dcdh`): no
    /// cohorts, no absorbing check; the switching-treatment estimator reads each unit's path of
    /// treatment itself (SwitchingPanel) and states its first-change cohorts in its sample.
    init(switching structure: PanelStructure) {
        self.structure = structure
        self.cohorts = []
        self.neverTreatedCount = 0
    }
}
