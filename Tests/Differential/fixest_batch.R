# R fixest as the differential test's third reference: one Rscript process per batch of specifications.
#
#   Rscript fixest_batch.R specs.json results.json
#
# specs.json: {"specs": [{"id", "path", "formula", "y", "vcov": "iid" | "hetero" | ["cluster", A(, B)],
#                          "weights": null | W, "fe": [[col, ...], ...]}]}
# results.json: {"fixest": version, "results": {id: {nobs, names, coef, se, collinear} | {error}}}
#
# The options are set explicitly so that the comparison is about the conventions Quipu documents
# (README, "Conventions follow fixest 0.13"), not about the installed version's defaults:
# - ssc(adj = TRUE, fixef.K = "nested", cluster.adj = TRUE, cluster.df = "min",
#   fixef.force_exact = FALSE): iid SSR/(N-K), hetero n/(n-1) * (n-1)/(n-K) = N/(N-K) (fixest's
#   vcov_hetero_internal makes the HC1 n/(n-1) step itself), CRV1 G/(G-1) (N-1)/(N-K) with the
#   smaller G for two-way clustering and fixed effects nested in a cluster counted once. Redundant
#   fixed-effect levels are counted as sum(levels) - (#FE - 1) (fixest's default; Quipu counts the
#   exact redundancy, which differs only on a disconnected fixed-effect graph: the harness names it).
# - collin.tol = 1e-9 (pyfixest's and Quipu's default; fixest's own is 1e-10).
# - fixef.tol = 1e-11 (fixest refuses a tolerance below 2.2e-12; the other computations use 1e-13).
# - Singletons: fixest 0.12 removes fixed-effect singletons in one pass; fixest 0.13, pyfixest and
#   Quipu recursively. After each fit, singletons left in the estimation sample are removed here
#   (their outcome set to NA, not through `subset`: fixest evaluates i(f, ref = r) on the data it
#   is given and refuses a reference level that the smaller sample lost) and the model refitted
#   until none is left.
suppressPackageStartupMessages({
  library(fixest)
  library(jsonlite)
  library(data.table)
})

args <- commandArgs(trailingOnly = TRUE)
input <- fromJSON(args[1], simplifyVector = FALSE)
setFixest_nthreads(1)
setFixest_notes(FALSE)

SSC <- ssc(adj = TRUE, fixef.K = "nested", cluster.adj = TRUE, cluster.df = "min", t.df = "min",
           fixef.force_exact = FALSE)
frames <- new.env()

frame <- function(path) {
  if (is.null(frames[[path]])) {
    frames[[path]] <- as.data.frame(fread(path, na.strings = c("", "NA"), showProgress = FALSE))
  }
  frames[[path]]
}

vcov_argument <- function(v) {
  if (length(v) == 1) return(unlist(v))
  as.formula(paste("~", paste(unlist(v)[-1], collapse = " + ")))
}

singletons_left <- function(df, rows, fes) {
  single <- rep(FALSE, length(rows))
  for (fe in fes) {
    key <- do.call(paste, c(lapply(unlist(fe), function(col) df[[col]][rows]), sep = "\r"))
    counts <- table(key)
    single <- single | as.vector(counts[key] == 1)
  }
  single
}

fit_one <- function(s) {
  df <- frame(s$path)
  call_args <- list(fml = as.formula(s$formula), data = df, vcov = vcov_argument(s$vcov), ssc = SSC,
                    collin.tol = 1e-9, fixef.tol = 1e-11, fixef.iter = 100000,
                    fixef.rm = if (length(s$fe)) "singleton" else "none", nthreads = 1,
                    notes = FALSE, warn = FALSE, mem.clean = FALSE)
  if (!is.null(s$weights)) call_args$weights <- as.formula(paste("~", s$weights))
  fit <- do.call(feols, call_args)
  rounds <- 0
  while (length(s$fe) && rounds < 1000) {
    rows <- obs(fit)
    single <- singletons_left(df, rows, s$fe)
    if (!any(single)) break
    df[[s$y]][rows[single]] <- NA
    call_args$data <- df
    fit <- do.call(feols, call_args)
    rounds <- rounds + 1
  }
  b <- coef(fit)
  se <- se(fit)
  list(nobs = nobs(fit), names = names(b), coef = as.list(b), se = as.list(se[names(b)]),
       collinear = if (is.null(fit$collin.var)) list() else as.list(fit$collin.var),
       singleton_rounds = rounds)
}

results <- list()
for (s in input$specs) {
  results[[s$id]] <- tryCatch(fit_one(s), error = function(e) list(error = conditionMessage(e)))
}
out <- list(fixest = as.character(packageVersion("fixest")), results = results)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, na = "null", null = "null"), args[2])
