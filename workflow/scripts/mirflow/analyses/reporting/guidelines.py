"""The reporting guidelines' items, one line each: STARD 2015 (Bossuyt et al., BMJ
2015;351:h5527; 30 items, 34 with their a/b parts), the checklist of diagnostic accuracy
studies, and REMARK (McShane et al., J Natl Cancer Inst 2005;97:1180; 20 items), that of
tumour marker prognostic studies."""

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
