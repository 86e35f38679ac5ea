/// The natural-ingredient sub-sectors of the Peru case study.
public enum Subsector: Int, CaseIterable, Sendable {
    /// Quinoa, Brazil nut, cowpea, giant corn.
    case grainsPulsesNuts
    /// Maca, tara, cochineal, achiote: food, cosmetic and pharmaceutical uses.
    case functionalIngredients
    /// Camu camu, lucuma, goldenberry, passion-fruit pulp.
    case fruitIngredients
    /// Herbs and spices.
    case herbsSpices
    /// Cocoa and coffee derivatives (CBI's second Peru project).
    case cocoaCoffeeDerivatives

    /// The code written in the CSV `subsector` column.
    public var code: String {
        switch self {
        case .grainsPulsesNuts: "grains_pulses_nuts"
        case .functionalIngredients: "functional_ingredients"
        case .fruitIngredients: "fruit_ingredients"
        case .herbsSpices: "herbs_spices"
        case .cocoaCoffeeDerivatives: "cocoa_coffee_derivatives"
        }
    }

    /// Share of simulated firms; illustrative, since the report gives no sub-sector census.
    var share: Double {
        switch self {
        case .grainsPulsesNuts: 0.30
        case .functionalIngredients: 0.20
        case .fruitIngredients: 0.20
        case .herbsSpices: 0.12
        case .cocoaCoffeeDerivatives: 0.18
        }
    }

    /// Log shift of export levels: bulk grains and cocoa ship larger consignments than herbs.
    var exportLevelShift: Double {
        switch self {
        case .grainsPulsesNuts: 0.20
        case .functionalIngredients: 0.10
        case .fruitIngredients: 0.0
        case .herbsSpices: -0.25
        case .cocoaCoffeeDerivatives: 0.10
        }
    }

    /// Draws a sub-sector from `share` with one uniform number.
    static func draw(_ uniform: Double) -> Subsector {
        var cumulative = 0.0
        for subsector in allCases {
            cumulative += subsector.share
            if uniform < cumulative { return subsector }
        }
        return .cocoaCoffeeDerivatives
    }
}
