#!/usr/bin/env bash
# A one-node SLURM cluster on localhost for tests/workflow/test_slurm.py (Debian, as root).
# Usage: cluster.sh start DIR   (installs slurm-wlm and munge with apt when missing; the test
#                               calls it so only with MIRFLOW_SLURM_INSTALL=1 or SLURM installed)
#        cluster.sh stop DIR    (stops only the daemons that 'start' started)
# DIR holds state, logs and pid files. slurm.conf goes to /etc/slurm/slurm.conf, where srun
# inside the jobs looks for it (SLURM_CONF does not reach it); 'start' refuses to overwrite a
# slurm.conf it did not write, and 'stop' removes the one it wrote.
set -euo pipefail
action=$1
dir=$(realpath -m "$2")
conf=/etc/slurm/slurm.conf
marker="# written by mirflow tests/slurm/cluster.sh"

start() {
    if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge >/dev/null
    fi
    mkdir -p "$dir"/{state,spool,log} /run/munge
    chown munge:munge /run/munge
    if [ ! -s /etc/munge/munge.key ]; then
        dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key status=none
        chown munge:munge /etc/munge/munge.key && chmod 400 /etc/munge/munge.key
    fi
    if ! pgrep -x munged >/dev/null; then
        runuser -u munge -- /usr/sbin/munged
        touch "$dir/munged.started"
    fi
    local host cpus memory
    host=$(hostname -s)
    # the machine's processors: nproc honours OMP_NUM_THREADS, which a caller may have set
    cpus=$(env -u OMP_NUM_THREADS -u OMP_THREAD_LIMIT nproc)
    memory=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 - 1024 ))
    if [ -e "$conf" ] && ! grep -qF "$marker" "$conf"; then
        echo "$conf exists and was not written by this script: not touching a real cluster" >&2
        return 2
    fi
    mkdir -p /etc/slurm
    cat > "$conf" <<CONF
$marker
ClusterName=mirflow-test
SlurmctldHost=$host
SlurmUser=root
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
SchedulerType=sched/backfill
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
MpiDefault=none
ReturnToService=2
MinJobAge=300
SlurmctldDebug=info
SlurmdDebug=info
NodeName=$host CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=main Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
    /usr/sbin/slurmctld
    /usr/sbin/slurmd
    for _ in $(seq 60); do
        if sinfo -h -o %T 2>/dev/null | grep -qx idle; then
            echo "cluster up: $(sinfo -h -o '%P %D %T %c')"
            return 0
        fi
        sleep 1
    done
    echo "cluster did not come up; see $dir/log" >&2
    return 1
}

stop() {
    for daemon in slurmd slurmctld; do
        [ -f "$dir/$daemon.pid" ] && kill "$(cat "$dir/$daemon.pid")" 2>/dev/null || true
    done
    if [ -f "$dir/munged.started" ]; then
        pkill -x munged || true
    fi
    if grep -qsF "$marker" "$conf"; then
        rm -f "$conf"
    fi
}

"$action"
