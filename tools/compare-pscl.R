#!/usr/bin/env Rscript
# Compare plenary's ideal points with pscl::ideal (Jackman's MCMC item-response model) on
# the same Yes/No matrix. Not part of the test suite; needs R and r-cran-pscl
# (Debian: apt-get install r-cran-pscl). Run from the repository root:
#
#   Rscript tools/compare-pscl.R [PLENARY] [VOTES_DIR] [SESSIONS] [ITERATIONS] [SEED]
#   defaults: build/release/sim/plenary data/unga 65-72 10000 1
#
# For d = 1 and 2 it has plenary write the filtered matrix (--matrix: lopsided roll calls
# and members with few votes already dropped, so pscl's dropList is not used; note that
# its `lop=` is a count of votes, not a share), fits pscl::ideal with normalize = FALSE
# (normalize = TRUE shifts the difficulty parameters with the wrong sign, which breaks
# predictions), and computes PCC and APRE from the posterior means exactly as plenary
# does: predicted Yes when x'beta - alpha > 0, APRE against the minority count per roll
# call. Prints one line per estimator and dimension.

suppressPackageStartupMessages(library(pscl))

cat(sprintf("%s, pscl %s\n", R.version.string, as.character(packageVersion("pscl"))))

args <- commandArgs(trailingOnly = TRUE)
plenary <- if (length(args) >= 1) args[1] else "build/release/sim/plenary"
votes_dir <- if (length(args) >= 2) args[2] else "data/unga"
sessions <- if (length(args) >= 3) args[3] else "65-72"
iterations <- if (length(args) >= 4) as.integer(args[4]) else 10000L
seed <- if (length(args) >= 5) as.integer(args[5]) else 1L

fit_figures <- function(y, eta) {
  observed <- !is.na(y)
  errors <- sum((eta > 0) != (y == 1) & observed)
  cells <- sum(observed)
  yes <- colSums(y == 1, na.rm = TRUE)
  no <- colSums(y == 0, na.rm = TRUE)
  minority <- sum(pmin(yes, no))
  c(pcc = 1 - errors / cells, apre = (minority - errors) / minority,
    majority = 1 - minority / cells)
}

for (d in 1:2) {
  matrix_csv <- tempfile(fileext = ".csv")
  report_json <- tempfile(fileext = ".json")
  status <- system2(plenary, c("calibrate", "--votes", votes_dir, "--sessions", sessions,
                               "--dims", d, "--holdout", "0", "--matrix", matrix_csv,
                               "--report", report_json), stdout = FALSE)
  if (status != 0) stop("plenary calibrate failed with status ", status)
  # na.strings: only empty cells are missing; no code here is 'NA', but be explicit anyway.
  m <- read.csv(matrix_csv, na.strings = "", check.names = FALSE, colClasses = "character")
  y <- as.matrix(m[, -1])
  y <- matrix(as.integer(y), nrow = nrow(y), dimnames = list(m$code, colnames(m)[-1]))
  rc <- rollcall(y, yea = 1, nay = 0, missing = NA, notInLegis = NULL,
                 legis.names = m$code, vote.names = colnames(y))

  set.seed(seed + d)  # the MCMC draws, so that a run can be repeated
  timing <- system.time(
    fit <- ideal(rc, d = d, maxiter = iterations, burnin = iterations %/% 10,
                 thin = 10, normalize = FALSE, store.item = TRUE, verbose = FALSE)
  )
  seconds <- timing[["elapsed"]]
  cpu <- timing[["user.self"]] + timing[["sys.self"]]
  x <- as.matrix(fit$xbar)                        # members x d
  beta <- as.matrix(fit$betabar)                  # roll calls x (d discriminations, difficulty)
  eta <- x %*% t(beta[, 1:d, drop = FALSE]) -
    matrix(beta[, d + 1], nrow(x), nrow(beta), byrow = TRUE)
  f <- fit_figures(y, eta)
  cat(sprintf("pscl::ideal   d=%d  %d x %d  %6.1f s (CPU %.1f s)  PCC %.4f  APRE %.4f  (majority %.4f)\n",
              d, nrow(y), ncol(y), seconds, cpu, f[["pcc"]], f[["apre"]], f[["majority"]]))

  report <- readLines(report_json)
  grab <- function(key) as.numeric(sub(".*: *([-0-9.e]+).*", "\\1",
                                       grep(sprintf('"%s":', key), report, value = TRUE)[1]))
  cat(sprintf("plenary       d=%d  %d x %d  %6.3f s  PCC %.4f  APRE %.4f\n",
              d, nrow(y), ncol(y), grab("seconds"), grab("pcc"), grab("apre")))
}
