"""The reporting guidelines' items, one line each: STARD 2015 (Bossuyt et al., BMJ
2015;351:h5527; 30 items, 34 with their a/b parts), the checklist of diagnostic accuracy
studies, and REMARK (McShane et al., J Natl Cancer Inst 2005;97:1180; 20 items), that of
tumour marker prognostic studies (:data:`ITEMS`, a discovery run's checklist); TRIPOD+AI
(Collins et al., BMJ 2024;385:e078378; 27 items, 52 with their sub-items), that of
prediction model studies, whose items a validation-only run fills for the locked panel
(:data:`TRIPOD_AI_ITEMS`)."""

from __future__ import annotations

STARD, REMARK = "STARD 2015", "REMARK"

# (guideline, item, section, description): every item of both guidelines, in their order.
ITEMS: tuple[tuple[str, str, str, str], ...] = (
    (STARD, "1", "Title or abstract", "Identification as a study of diagnostic accuracy using at least one "
     "measure of accuracy (such as sensitivity, specificity, predictive values, or AUC)"),
    (STARD, "2", "Abstract", "Structured summary of study design, methods, results, and conclusions "
     "(see STARD for Abstracts)"),
    (STARD, "3", "Introduction", "Scientific and clinical background, including the intended use and "
     "clinical role of the index test"),
    (STARD, "4", "Introduction", "Study objectives and hypotheses"),
    (STARD, "5", "Methods: study design", "Whether data collection was planned before the index test "
     "and reference standard were performed (prospective study) or after (retrospective study)"),
    (STARD, "6", "Methods: participants", "Eligibility criteria"),
    (STARD, "7", "Methods: participants", "On what basis potentially eligible participants were "
     "identified (such as symptoms, results from previous tests, inclusion in registry)"),
    (STARD, "8", "Methods: participants", "Where and when potentially eligible participants were "
     "identified (setting, location and dates)"),
    (STARD, "9", "Methods: participants", "Whether participants formed a consecutive, random or "
     "convenience series"),
    (STARD, "10a", "Methods: test methods", "Index test, in sufficient detail to allow replication"),
    (STARD, "10b", "Methods: test methods", "Reference standard, in sufficient detail to allow replication"),
    (STARD, "11", "Methods: test methods", "Rationale for choosing the reference standard (if "
     "alternatives exist)"),
    (STARD, "12a", "Methods: test methods", "Definition of and rationale for test positivity cut-offs or "
     "result categories of the index test, distinguishing pre-specified from exploratory"),
    (STARD, "12b", "Methods: test methods", "Definition of and rationale for test positivity cut-offs or "
     "result categories of the reference standard, distinguishing pre-specified from exploratory"),
    (STARD, "13a", "Methods: test methods", "Whether clinical information and reference standard results "
     "were available to the performers or readers of the index test"),
    (STARD, "13b", "Methods: test methods", "Whether clinical information and index test results were "
     "available to the assessors of the reference standard"),
    (STARD, "14", "Methods: analysis", "Methods for estimating or comparing measures of diagnostic accuracy"),
    (STARD, "15", "Methods: analysis", "How indeterminate index test or reference standard results were "
     "handled"),
    (STARD, "16", "Methods: analysis", "How missing data on the index test and reference standard were "
     "handled"),
    (STARD, "17", "Methods: analysis", "Any analyses of variability in diagnostic accuracy, distinguishing "
     "pre-specified from exploratory"),
    (STARD, "18", "Methods: analysis", "Intended sample size and how it was determined"),
    (STARD, "19", "Results: participants", "Flow of participants, using a diagram"),
    (STARD, "20", "Results: participants", "Baseline demographic and clinical characteristics of "
     "participants"),
    (STARD, "21a", "Results: participants", "Distribution of severity of disease in those with the target "
     "condition"),
    (STARD, "21b", "Results: participants", "Distribution of alternative diagnoses in those without the "
     "target condition"),
    (STARD, "22", "Results: participants", "Time interval and any clinical interventions between index "
     "test and reference standard"),
    (STARD, "23", "Results: test results", "Cross tabulation of the index test results (or their "
     "distribution) by the results of the reference standard"),
    (STARD, "24", "Results: test results", "Estimates of diagnostic accuracy and their precision (such as "
     "95% confidence intervals)"),
    (STARD, "25", "Results: test results", "Any adverse events from performing the index test or the "
     "reference standard"),
    (STARD, "26", "Discussion", "Study limitations, including sources of potential bias, statistical "
     "uncertainty, and generalisability"),
    (STARD, "27", "Discussion", "Implications for practice, including the intended use and clinical role "
     "of the index test"),
    (STARD, "28", "Other information", "Registration number and name of registry"),
    (STARD, "29", "Other information", "Where the full study protocol can be accessed"),
    (STARD, "30", "Other information", "Sources of funding and other support; role of funders"),
    (REMARK, "1", "Introduction", "State the marker examined, the study objectives, and any pre-specified "
     "hypotheses"),
    (REMARK, "2", "Methods: patients", "Describe the characteristics (e.g. disease stage or "
     "co-morbidities) of the study patients, including their source and inclusion and exclusion criteria"),
    (REMARK, "3", "Methods: patients", "Describe treatments received and how chosen (e.g. randomised or "
     "rule-based)"),
    (REMARK, "4", "Methods: specimen characteristics", "Describe type of biological material used "
     "(including control samples) and methods of preservation and storage"),
    (REMARK, "5", "Methods: assay methods", "Specify the assay method used and provide (or reference) a "
     "detailed protocol, including reagents or kits, quality control, reproducibility assessments, "
     "quantitation methods, and scoring and reporting protocols; whether and how assays were performed "
     "blinded to the study endpoint"),
    (REMARK, "6", "Methods: study design", "State the method of case selection, including whether "
     "prospective or retrospective and whether stratification or matching was used; the time period "
     "from which cases were taken, the end of the follow-up period, and the median follow-up time"),
    (REMARK, "7", "Methods: study design", "Precisely define all clinical endpoints examined"),
    (REMARK, "8", "Methods: study design", "List all candidate variables initially examined or considered "
     "for inclusion in models"),
    (REMARK, "9", "Methods: study design", "Give rationale for sample size; if the study was designed to "
     "detect a specified effect size, give the target power and effect size"),
    (REMARK, "10", "Methods: statistical analysis", "Specify all statistical methods, including details of "
     "any variable selection procedures and other model-building issues, how model assumptions were "
     "verified, and how missing data were handled"),
    (REMARK, "11", "Methods: statistical analysis", "Clarify how marker values were handled in the "
     "analyses; if relevant, describe methods used for cutpoint determination"),
    (REMARK, "12", "Results: data", "Describe the flow of patients through the study, including the number "
     "of patients included in each stage of the analysis (a diagram may be helpful) and reasons for "
     "dropout; overall and for each subgroup extensively examined, the numbers of patients and of events"),
    (REMARK, "13", "Results: data", "Report distributions of basic demographic characteristics (at least "
     "age and sex), standard (disease-specific) prognostic variables, and tumour marker, including "
     "numbers of missing values"),
    (REMARK, "14", "Results: analysis and presentation", "Show the relation of the marker to standard "
     "prognostic variables"),
    (REMARK, "15", "Results: analysis and presentation", "Present univariate analyses showing the relation "
     "between the marker and outcome, with the estimated effect (e.g. hazard ratio and survival "
     "probability); for a time-to-event outcome a Kaplan-Meier plot is recommended"),
    (REMARK, "16", "Results: analysis and presentation", "For key multivariable analyses, report estimated "
     "effects (e.g. hazard ratio) with confidence intervals for the marker and, at least for the final "
     "model, all other variables in the model"),
    (REMARK, "17", "Results: analysis and presentation", "Among reported results, provide estimates of the "
     "effects with confidence intervals from an analysis in which the marker and standard prognostic "
     "variables are included, regardless of their statistical significance"),
    (REMARK, "18", "Results: analysis and presentation", "If done, report results of further "
     "investigations, such as checking assumptions, sensitivity analyses, and internal validation"),
    (REMARK, "19", "Discussion", "Interpret the results in the context of the pre-specified hypotheses and "
     "other relevant studies; include a discussion of limitations of the study"),
    (REMARK, "20", "Discussion", "Discuss implications for future research and clinical value"),
)  # fmt: skip

TRIPOD_AI = "TRIPOD+AI"
# (guideline, item, section, description): every TRIPOD+AI item in its order. Most apply to
# both the development (D) and the evaluation (E) of a model; some to one of them only.
TRIPOD_AI_ITEMS: tuple[tuple[str, str, str, str], ...] = (
    (TRIPOD_AI, "1", "Title", "Identify the study as developing or evaluating the performance of a "
     "multivariable prediction model, the target population, and the outcome to be predicted"),
    (TRIPOD_AI, "2", "Abstract", "See TRIPOD+AI for Abstracts checklist"),
    (TRIPOD_AI, "3a", "Introduction: background", "Explain the healthcare context (including whether "
     "diagnostic or prognostic) and rationale for developing or evaluating the prediction model, including "
     "references to existing models"),
    (TRIPOD_AI, "3b", "Introduction: background", "Describe the target population and the intended purpose "
     "of the prediction model in the context of the care pathway, including its intended users (eg, "
     "healthcare professionals, patients, public)"),
    (TRIPOD_AI, "3c", "Introduction: background", "Describe any known health inequalities between "
     "sociodemographic groups"),
    (TRIPOD_AI, "4", "Introduction: objectives", "Specify the study objectives, including whether the study "
     "describes the development or validation of a prediction model (or both)"),
    (TRIPOD_AI, "5a", "Methods: data", "Describe the sources of data separately for the development and "
     "evaluation datasets (eg, randomised trial, cohort, routine care or registry data), the rationale for "
     "using these data, and representativeness of the data"),
    (TRIPOD_AI, "5b", "Methods: data", "Specify the dates of the collected participant data, including start "
     "and end of participant accrual; and, if applicable, end of follow-up"),
    (TRIPOD_AI, "6a", "Methods: participants", "Specify key elements of the study setting (eg, primary care, "
     "secondary care, general population) including the number and location of centres"),
    (TRIPOD_AI, "6b", "Methods: participants", "Describe the eligibility criteria for study participants"),
    (TRIPOD_AI, "6c", "Methods: participants", "Give details of any treatments received, and how they were "
     "handled during model development or evaluation, if relevant"),
    (TRIPOD_AI, "7", "Methods: data preparation", "Describe any data pre-processing and quality checking, "
     "including whether this was similar across relevant sociodemographic groups"),
    (TRIPOD_AI, "8a", "Methods: outcome", "Clearly define the outcome that is being predicted and the time "
     "horizon, including how and when assessed, the rationale for choosing this outcome, and whether the "
     "method of outcome assessment is consistent across sociodemographic groups"),
    (TRIPOD_AI, "8b", "Methods: outcome", "If outcome assessment requires subjective interpretation, "
     "describe the qualifications and demographic characteristics of the outcome assessors"),
    (TRIPOD_AI, "8c", "Methods: outcome", "Report any actions to blind assessment of the outcome to be "
     "predicted"),
    (TRIPOD_AI, "9a", "Methods: predictors", "Describe the choice of initial predictors (eg, literature, "
     "previous models, all available predictors) and any pre-selection of predictors before model building"),
    (TRIPOD_AI, "9b", "Methods: predictors", "Clearly define all predictors, including how and when they "
     "were measured (and any actions to blind assessment of predictors for the outcome and other "
     "predictors)"),
    (TRIPOD_AI, "9c", "Methods: predictors", "If predictor measurement requires subjective interpretation, "
     "describe the qualifications and demographic characteristics of the predictor assessors"),
    (TRIPOD_AI, "10", "Methods: sample size", "Explain how the study size was arrived at (separately for "
     "development and evaluation), and justify that the study size was sufficient to answer the research "
     "question. Include details of any sample size calculation"),
    (TRIPOD_AI, "11", "Methods: missing data", "Describe how missing data were handled. Provide reasons for "
     "omitting any data"),
    (TRIPOD_AI, "12a", "Methods: analytical methods", "Describe how the data were used (eg, for development "
     "and evaluation of model performance) in the analysis, including whether the data were partitioned, "
     "considering any sample size requirements"),
    (TRIPOD_AI, "12b", "Methods: analytical methods", "Depending on the type of model, describe how "
     "predictors were handled in the analyses (functional form, rescaling, transformation, or any "
     "standardisation)"),
    (TRIPOD_AI, "12c", "Methods: analytical methods", "Specify the type of model, rationale, all model "
     "building steps, including any hyperparameter tuning, and method for internal validation"),
    (TRIPOD_AI, "12d", "Methods: analytical methods", "Describe if and how any heterogeneity in estimates of "
     "model parameter values and model performance was handled and quantified across clusters (eg, "
     "hospitals, countries). See TRIPOD-Cluster for additional considerations"),
    (TRIPOD_AI, "12e", "Methods: analytical methods", "Specify all measures and plots used (and their "
     "rationale) to evaluate model performance (eg, discrimination, calibration, clinical utility) and, if "
     "relevant, to compare multiple models"),
    (TRIPOD_AI, "12f", "Methods: analytical methods", "Describe any model updating (eg, recalibration) "
     "arising from the model evaluation, either overall or for particular sociodemographic groups or "
     "settings"),
    (TRIPOD_AI, "12g", "Methods: analytical methods", "For model evaluation, describe how the model "
     "predictions were calculated (eg, formula, code, object, application programming interface)"),
    (TRIPOD_AI, "13", "Methods: class imbalance", "If class imbalance methods were used, state why and how "
     "this was done, and any subsequent methods to recalibrate the model or the model predictions"),
    (TRIPOD_AI, "14", "Methods: fairness", "Describe any approaches that were used to address model fairness "
     "and their rationale"),
    (TRIPOD_AI, "15", "Methods: model output", "Specify the output of the prediction model (eg, "
     "probabilities, classification). Provide details and rationale for any classification and how the "
     "thresholds were identified"),
    (TRIPOD_AI, "16", "Methods: training versus evaluation", "Identify any differences between the "
     "development and evaluation data in healthcare setting, eligibility criteria, outcome, and predictors"),
    (TRIPOD_AI, "17", "Methods: ethical approval", "Name the institutional research board or ethics "
     "committee that approved the study and describe the participant informed consent or the ethics "
     "committee waiver of informed consent"),
    (TRIPOD_AI, "18a", "Open science: funding", "Give the source of funding and the role of the funders for "
     "the present study"),
    (TRIPOD_AI, "18b", "Open science: conflicts of interest", "Declare any conflicts of interest and "
     "financial disclosures for all authors"),
    (TRIPOD_AI, "18c", "Open science: protocol", "Indicate where the study protocol can be accessed or state "
     "that a protocol was not prepared"),
    (TRIPOD_AI, "18d", "Open science: registration", "Provide registration information for the study, "
     "including register name and registration number, or state that the study was not registered"),
    (TRIPOD_AI, "18e", "Open science: data sharing", "Provide details of the availability of the study data"),
    (TRIPOD_AI, "18f", "Open science: code sharing", "Provide details of the availability of the analytical "
     "code"),
    (TRIPOD_AI, "19", "Patient and public involvement", "Provide details of any patient and public "
     "involvement during the design, conduct, reporting, interpretation, or dissemination of the study or "
     "state no involvement"),
    (TRIPOD_AI, "20a", "Results: participants", "Describe the flow of participants through the study, "
     "including the number of participants with and without the outcome and, if applicable, a summary of "
     "the follow-up time. A diagram may be helpful"),
    (TRIPOD_AI, "20b", "Results: participants", "Report the characteristics overall and, where applicable, "
     "for each data source or setting, including the key dates, key predictors (including demographics), "
     "treatments received, sample size, number of outcome events, follow-up time, and amount of missing "
     "data. A table may be helpful. Report any differences across key demographic groups"),
    (TRIPOD_AI, "20c", "Results: participants", "For model evaluation, show a comparison with the "
     "development data of the distribution of important predictors (demographics, predictors, and outcome)"),
    (TRIPOD_AI, "21", "Results: model development", "Specify the number of participants and outcome events "
     "in each analysis (eg, for model development, hyperparameter tuning, model evaluation)"),
    (TRIPOD_AI, "22", "Results: model specification", "Provide details of the full prediction model (eg, "
     "formula, code, object, application programming interface) to allow predictions in new individuals "
     "and to enable third party evaluation and implementation, including any restrictions to access or "
     "reuse (eg, freely available, proprietary)"),
    (TRIPOD_AI, "23a", "Results: model performance", "Report model performance estimates with confidence "
     "intervals, including for any key subgroups (eg, sociodemographic). Consider plots to aid "
     "presentation"),
    (TRIPOD_AI, "23b", "Results: model performance", "If examined, report results of any heterogeneity in "
     "model performance across clusters. See TRIPOD-Cluster for additional details"),
    (TRIPOD_AI, "24", "Results: model updating", "Report the results from any model updating, including the "
     "updated model and subsequent performance"),
    (TRIPOD_AI, "25", "Discussion: interpretation", "Give an overall interpretation of the main results, "
     "including issues of fairness in the context of the objectives and previous studies"),
    (TRIPOD_AI, "26", "Discussion: limitations", "Discuss any limitations of the study (such as a "
     "non-representative sample, sample size, overfitting, missing data) and their effects on any biases, "
     "statistical uncertainty, and generalisability"),
    (TRIPOD_AI, "27a", "Discussion: usability of the model in the context of current care", "Describe how "
     "poor quality or unavailable input data (eg, predictor values) should be assessed and handled when "
     "implementing the prediction model"),
    (TRIPOD_AI, "27b", "Discussion: usability of the model in the context of current care", "Specify whether "
     "users will be required to interact in the handling of the input data or use of the model, and what "
     "level of expertise is required of users"),
    (TRIPOD_AI, "27c", "Discussion: usability of the model in the context of current care", "Discuss any "
     "next steps for future research, with a specific view to applicability and generalisability of the "
     "model"),
)  # fmt: skip
# TRIPOD+AI items for a model's development only (D) or its evaluation only (E); the others
# apply to both.
TRIPOD_AI_DEVELOPMENT = frozenset({"9a", "12a", "12b", "12c", "15", "22", "27a", "27b"})
TRIPOD_AI_EVALUATION = frozenset({"12f", "12g", "20c", "24"})
